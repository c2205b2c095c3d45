/** Diagnostic: no barcode said which way is up; the text layout did. */
export const ORIENTATION_FROM_CONTENT = 'orientation_from_content';
/** Diagnostic set by finaliseFill: the page matched its blank type only turned by 180°, so it was turned. */
export const ROTATION_CORRECTED_BY_BATCH = 'rotation_corrected_by_batch';
/**
 * Diagnostic: the blank-number code decided the way up, and the page's words run across it (the code is printed
 * sideways to the text, or the words were misjudged). The code is kept (a misleading layout cannot turn a page
 * whose code was read); the note is for inspection.
 */
export const ORIENTATION_CONTENT_DISAGREES = 'orientation_content_disagrees';
