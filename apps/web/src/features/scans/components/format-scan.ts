import type { SuggestionSource } from '@collector/contracts';

const countFormat = new Intl.NumberFormat('ru-RU');

/** «1 234» with the Russian thin grouping. */
export function formatNumber(n: number): string {
  return countFormat.format(n);
}

export const SOURCE_TEXT: Record<SuggestionSource, string> = {
  barcode: 'штрихкод',
  ocr: 'цифры под штрихкодом',
  neighbours: 'соседние сканы',
  registry: 'реестр',
};

/** «осталось 3 скана» — Russian plural of «скан». */
export function scansWord(n: number): string {
  const d10 = n % 10;
  const d100 = n % 100;
  if (d10 === 1 && d100 !== 11) return 'скан';
  if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14)) return 'скана';
  return 'сканов';
}

export const imageUrl = (scanId: string, version: number, rotation: number, thumb = false) =>
  `/api/scans/${encodeURIComponent(scanId)}/image?${thumb ? 'size=thumb&' : ''}v=${version}-${rotation}`;
