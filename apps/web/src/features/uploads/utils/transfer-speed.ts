/**
 * Speed over the last few seconds rather than since the start: on a regional link that drops and
 * comes back, the time left should follow what the line does now.
 */
export class TransferSpeed {
  private samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 8000) {}

  /** Records `bytes` sent in total at time `at` (ms) and returns bytes per second, or null while too early to say. */
  sample(bytes: number, at: number): number | null {
    const last = this.samples.at(-1);
    // tus-js-client restarts its count after a resume from the offset, never below it; a drop means a new attempt.
    if (last !== undefined && bytes < last.bytes) this.samples = [];
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && (this.samples[0]?.at ?? at) < at - this.windowMs) this.samples.shift();
    const first = this.samples[0];
    if (first === undefined || at - first.at < 1000) return null;
    return ((bytes - first.bytes) * 1000) / (at - first.at);
  }

  reset(): void {
    this.samples = [];
  }
}
