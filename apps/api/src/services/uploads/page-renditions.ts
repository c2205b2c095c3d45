import sharp from 'sharp';

/** The API's one use of sharp: the thumbnail shown in upload lists, made from the upright rendition. */
export const THUMBNAIL_WIDTH = 240;

sharp.cache(false);

export async function makeThumbnail(uprightJpeg: Uint8Array): Promise<Buffer> {
  return sharp(uprightJpeg, { limitInputPixels: 80_000_000 })
    .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
    .jpeg({ quality: 70, mozjpeg: false })
    .toBuffer();
}
