/**
 * Paper told four pixels at a time, for the passes over a whole page (most of a page is paper). A little-endian
 * 32-bit word holds four 8-bit pixels. A pixel v is darker than a threshold when 255 − v (the word inverted) is above
 * 255 − ⌈threshold⌉ = limit, and adding 127 − limit to each byte of the inverted word sets the top bit of exactly
 * those bytes: a byte up to 127 plus at most 127 carries nothing into the next one, and a byte over 127 is above the
 * limit and has its top bit set already (kept by OR-ing the inverted word in; its carry may mark the next byte too,
 * which only ever happens beside a dark pixel). The test needs a limit of at most 127, which any threshold above
 * mid-grey gives; for a darker threshold there is no test, and every pixel is read.
 */

/** What darkBytes adds for pixels darker than `threshold`, or null where the four-at-once test cannot be made. */
export function paperCarry(threshold: number): number | null {
  const limit = 255 - Math.ceil(threshold);
  return limit >= 0 && limit <= 127 ? 0x01010101 * (127 - limit) : null;
}

/**
 * 0 when all four pixels of `word` are paper (none darker than the threshold `carry` was made for). Otherwise the
 * top bits of the dark pixels' bytes are set, and may spill onto the byte after a dark one (a carry): a clear top
 * bit is a sure paper pixel, a set one is not a sure dark one.
 */
export function darkBytes(word: number, carry: number): number {
  const inverted = ~word;
  return ((inverted + carry) | inverted) & 0x80808080;
}
