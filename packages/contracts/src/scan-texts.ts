/**
 * The codes of DESIGN.md and their Russian sentences, without zod: `pnpm scan-check` takes its words from here
 * (`@collector/contracts/scan-texts`) without loading the schemas. scan-codes.ts builds the schemas on these lists
 * and re-exports everything, so the API and the web app import it all from `@collector/contracts`.
 */

/** Archive-level faults: the whole archive is rejected. */
export const ARCHIVE_CODES = ['archive_too_large', 'not_zip', 'multipart_archive', 'password_required', 'wrong_password', 'corrupt_archive', 'zip_bomb', 'empty_archive'] as const;
type ArchiveCode = (typeof ARCHIVE_CODES)[number];

/** Entry-level faults: listed per entry while the good pages are processed. */
export const ENTRY_CODES = ['nested_archive', 'forbidden_format', 'unsafe_path', 'corrupt_entry', 'unreadable_image'] as const;
type EntryCode = (typeof ENTRY_CODES)[number];

export const UNRECOGNIZED_REASONS = ['no_barcode', 'ambiguous', 'unknown_blank', 'foreign_region'] as const;
type UnrecognizedReason = (typeof UNRECOGNIZED_REASONS)[number];

export const UPLOAD_HINTS = ['pages_turned', 'dpi_far_from_200', 'damaged_barcodes', 'other_event', 'foreign_region', 'unknown_blanks'] as const;
type UploadHint = (typeof UPLOAD_HINTS)[number];

export const ARCHIVE_CODE_TEXT: Record<ArchiveCode, string> = {
  archive_too_large: 'Архив больше 250 МБ. Разделите его на несколько архивов и загрузите каждый',
  not_zip: 'Файл не является ZIP-архивом. Архивы формата 7z, RAR и пр. недопустимы: заархивируйте папку в ZIP',
  multipart_archive: 'Архивы, состоящие из нескольких частей, недопустимы. Разделите папку на несколько отдельных ZIP-архивов',
  password_required: 'Архив защищён паролем. Введите пароль в соседнее окошко и загрузите архив снова',
  wrong_password: 'Неверный пароль архива. Проверьте пароль и загрузите архив снова',
  corrupt_archive: 'Архив повреждён и не читается. Заархивируйте папку заново и загрузите архив снова',
  zip_bomb: 'Архив распаковывается в недопустимо большой объём. Проверьте содержимое архива',
  empty_archive: 'В архиве нет изображений JPG или TIFF. Отсканируйте бланки в JPG или TIFF и заархивируйте папку',
};

export const ENTRY_CODE_TEXT: Record<EntryCode, string> = {
  nested_archive: 'архив внутри архива недопустим',
  forbidden_format: 'недопустимый формат: нужны изображения JPG или TIFF (PDF, BMP и пр. недопустимы)',
  unsafe_path: 'недопустимое имя файла в архиве',
  corrupt_entry: 'файл в архиве повреждён',
  unreadable_image: 'изображение не читается',
};

/** The Russian sentence for a rejected upload, whichever kind of code rejected it. */
export function rejectionText(code: ArchiveCode | EntryCode): string {
  if (code in ARCHIVE_CODE_TEXT) return ARCHIVE_CODE_TEXT[code as ArchiveCode];
  const entry = ENTRY_CODE_TEXT[code as EntryCode];
  return `В архиве нет ни одного изображения, которое можно загрузить: ${entry}`;
}

export const UNRECOGNIZED_REASON_TEXT: Record<UnrecognizedReason, string> = {
  no_barcode: 'штрихкод не найден или не читается',
  ambiguous: 'на странице несколько разных номеров бланков',
  unknown_blank: 'номера бланка нет в реестре',
  foreign_region: 'бланк другого региона',
};

export const UPLOAD_HINT_TEXT: Record<UploadHint, string> = {
  pages_turned: 'многие страницы отсканированы перевёрнутыми',
  dpi_far_from_200: 'разрешение сканирования далеко от 200 dpi',
  damaged_barcodes: 'штрихкоды повреждены или плохо пропечатаны',
  other_event: 'в архиве бланки другого мероприятия',
  foreign_region: 'в архиве бланки другого региона',
  unknown_blanks: 'номеров бланков нет в реестре',
};

/** Share of unrecognised scans past which the instruction recommends rescanning (step 2, item 5). */
export const RESCAN_RECOMMENDED_SHARE = 0.1;
