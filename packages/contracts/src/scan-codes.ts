import { z } from 'zod';

/**
 * The archive and entry codes of DESIGN.md, the reasons a scan stays unrecognised, and the rotations,
 * defined once with the Russian sentence a coordinator can act on. The API's error catalogue, the upload
 * list, the CLI and the web app all take their words from here.
 */

/** Archive-level faults: the whole archive is rejected. */
export const ArchiveCodeSchema = z.enum([
  'archive_too_large',
  'not_zip',
  'multipart_archive',
  'password_required',
  'wrong_password',
  'corrupt_archive',
  'zip_bomb',
  'empty_archive',
]);
export type ArchiveCode = z.infer<typeof ArchiveCodeSchema>;

/** Entry-level faults: listed per entry while the good pages are processed. */
export const EntryCodeSchema = z.enum(['nested_archive', 'forbidden_format', 'unsafe_path', 'corrupt_entry', 'unreadable_image']);
export type EntryCode = z.infer<typeof EntryCodeSchema>;

/**
 * Why a whole upload was rejected: an archive code, or — for an archive without a single page — the entry problem
 * that left it empty (an archive holding only a nested zip is `nested_archive`, not `empty_archive`).
 */
export const RejectCodeSchema = z.union([ArchiveCodeSchema, EntryCodeSchema]);
export type RejectCode = z.infer<typeof RejectCodeSchema>;

export const UnrecognizedReasonSchema = z.enum(['no_barcode', 'ambiguous', 'unknown_blank', 'foreign_region']);
export type UnrecognizedReason = z.infer<typeof UnrecognizedReasonSchema>;

export const RotationSchema = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
export type Rotation = z.infer<typeof RotationSchema>;

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
export function rejectionText(code: RejectCode): string {
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

/**
 * Likely causes of many unrecognised scans, from the page diagnostics, shown beside the instruction's warning
 * «рекомендуется пересканировать бланки и загрузить их заново».
 */
export const UploadHintSchema = z.enum(['pages_turned', 'dpi_far_from_200', 'damaged_barcodes', 'other_event', 'foreign_region', 'unknown_blanks']);
export type UploadHint = z.infer<typeof UploadHintSchema>;

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
