/**
 * Counts failed sign-ins per login and per address in a sliding window. In memory: one API
 * process guards itself; the limits are per process when several run behind a balancer.
 */
export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** an address may fail this many times more than a single login (offices share one NAT) */
  addressFactor?: number;
  now?: () => number;
}

const MAX_KEYS = 100_000;

/** IPv6 clients usually own a whole /64, so that is what one address counts as. */
export function addressKey(address: string): string {
  const ip = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly opts: Required<LoginLimiterOptions>;

  constructor(opts: LoginLimiterOptions) {
    this.opts = { addressFactor: 5, now: Date.now, ...opts };
  }

  private keys(login: string, address: string): Array<[string, number]> {
    return [
      [`login:${login.toLowerCase()}`, this.opts.maxFailures],
      [`addr:${addressKey(address)}`, this.opts.maxFailures * this.opts.addressFactor],
    ];
  }

  private recent(key: string): number[] {
    const since = this.opts.now() - this.opts.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Seconds to wait before another attempt is allowed, or 0 when it may go ahead. */
  retryAfterSeconds(login: string, address: string): number {
    let wait = 0;
    for (const [key, limit] of this.keys(login, address)) {
      const list = this.recent(key);
      if (list.length >= limit) {
        const oldestThatMustExpire = list[list.length - limit] ?? this.opts.now();
        wait = Math.max(wait, Math.ceil((oldestThatMustExpire + this.opts.windowMs - this.opts.now()) / 1000));
      }
    }
    return wait > 0 ? Math.max(1, wait) : 0;
  }

  recordFailure(login: string, address: string): void {
    if (this.failures.size > MAX_KEYS) this.sweep();
    const now = this.opts.now();
    for (const [key] of this.keys(login, address)) {
      const list = this.recent(key);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  /**
   * Counts an attempt as failed before its password is checked, so parallel requests cannot all
   * slip through the check while each one's password is still being hashed.
   */
  begin(login: string, address: string): void {
    this.recordFailure(login, address);
  }

  /** A successful sign-in clears the login's own counter and takes back its own mark on the address. */
  recordSuccess(login: string, address?: string): void {
    this.failures.delete(`login:${login.toLowerCase()}`);
    if (address !== undefined) {
      const key = `addr:${addressKey(address)}`;
      const list = this.failures.get(key);
      list?.pop();
      if (list && list.length === 0) this.failures.delete(key);
    }
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
