import { DEFAULT_BLANK_PATTERN } from '@collector/scan-core';

/** The blank-number pattern the barcode reader uses (DESIGN.md: 17 digits by default); a typed number must fit it too. */
export const BLANK_NUMBER_PATTERN: RegExp = DEFAULT_BLANK_PATTERN;

/** Places in a number of the pattern, when the pattern fixes it (`^\d{17}$` → 17); else 17. */
export const BLANK_NUMBER_LENGTH: number = Number(/\\d\{(\d+)\}/.exec(BLANK_NUMBER_PATTERN.source)?.[1] ?? 17);

/** The Russian reason a typed number does not fit the pattern, or null when it does. */
export function blankNumberShapeProblem(value: string): string | null {
  if (!/^\d+$/.test(value)) return 'Номер бланка — только цифры';
  if (!BLANK_NUMBER_PATTERN.test(value)) return `Номер бланка должен состоять из ${BLANK_NUMBER_LENGTH} цифр, а введено ${value.length}`;
  return null;
}
