/**
 * Entry names as the person wrote them, decided as the server decides (scan-core's decode-entry-name.ts):
 * the UTF-8 flag, or a name that is valid UTF-8 (Linux and macOS tools write it without the flag), means
 * UTF-8; anything else comes from Windows Explorer on a Russian system, which writes CP866.
 */
const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const cp866 = new TextDecoder('ibm866');

export function decodeEntryName(raw: Uint8Array, utf8Flag: boolean): string {
  if (utf8Flag) return utf8.decode(raw);
  try {
    return strictUtf8.decode(raw);
  } catch {
    return cp866.decode(raw);
  }
}
