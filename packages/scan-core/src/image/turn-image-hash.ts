/**
 * The hashImage hash of the same page turned by 180°, without the image: each difference bit compares the mirror
 * pair of cells the other way round, so the bits come in reverse order, inverted (exact up to equal neighbours).
 */
export function turnImageHash(hex: string): string {
  const bits: number[] = [];
  for (const digit of hex) {
    const n = parseInt(digit, 16);
    for (let b = 3; b >= 0; b--) bits.push((n >> b) & 1);
  }
  const turned = bits.reverse().map((bit) => 1 - bit);
  let out = '';
  for (let i = 0; i < turned.length; i += 4) {
    out += (((turned[i] ?? 0) << 3) | ((turned[i + 1] ?? 0) << 2) | ((turned[i + 2] ?? 0) << 1) | (turned[i + 3] ?? 0)).toString(16);
  }
  return out;
}
