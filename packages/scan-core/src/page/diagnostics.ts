/** Diagnostic: no barcode said which way is up; the text layout did. */
export const ORIENTATION_FROM_CONTENT = 'orientation_from_content';
/** Diagnostic set by finaliseFill: the page matched its blank type only turned by 180°, so it was turned. */
export const ROTATION_CORRECTED_BY_BATCH = 'rotation_corrected_by_batch';
