/*
 * Sizes, speeds and times the way a Russian reader expects them: «12,5 МБ», «1,2 МБ/с», «осталось 2 мин 5 с».
 * Sizes are in binary megabytes, as the 250 МБ limit is (250 × 1024 × 1024 bytes).
 */

const MB = 1024 * 1024;
const KB = 1024;

const oneDecimal = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 0 });

export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${oneDecimal.format(bytes / MB)} МБ`;
  if (bytes >= KB) return `${whole.format(bytes / KB)} КБ`;
  return `${whole.format(bytes)} Б`;
}

export function formatSpeed(bytesPerSecond: number): string {
  if (bytesPerSecond >= MB / 10) return `${oneDecimal.format(bytesPerSecond / MB)} МБ/с`;
  return `${whole.format(bytesPerSecond / KB)} КБ/с`;
}

/** 0.456 → «46 %» (ru-RU puts a non-breaking space before the sign). Never shows 100 % before the end. */
export function formatPercent(done: number, total: number): string {
  if (total <= 0) return percent.format(0);
  const share = done / total;
  return percent.format(done < total ? Math.min(share, 0.99) : 1);
}

export function formatDuration(seconds: number): string {
  const rounded = Math.max(1, Math.round(seconds));
  if (rounded < 60) return `${rounded} с`;
  const minutes = Math.floor(rounded / 60);
  if (minutes < 60) {
    const rest = rounded % 60;
    return rest === 0 || minutes >= 10 ? `${minutes} мин` : `${minutes} мин ${rest} с`;
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes === 0 ? `${hours} ч` : `${hours} ч ${restMinutes} мин`;
}

/** «3 файла», «21 файл», «5 файлов». */
export function pluralRu(count: number, one: string, few: string, many: string): string {
  const rule = new Intl.PluralRules('ru-RU').select(count);
  const word = rule === 'one' ? one : rule === 'few' ? few : many;
  return `${whole.format(count)} ${word}`;
}

export function formatCount(count: number): string {
  return whole.format(count);
}
