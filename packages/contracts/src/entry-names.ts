/**
 * Entry names as the person wrote them, decided alike by the server (scan-core) and the browser's check before
 * sending. The UTF-8 flag (or a name that is valid UTF-8, as macOS and Linux tools write without the flag) means
 * UTF-8; anything else comes from Windows Explorer on a Russian system, which writes the OEM code page CP866.
 * CP437, the ZIP default, would turn every Cyrillic name into mojibake. No zod here: `pnpm scan-check` bundles it.
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
