// Dates in the reasons people read ("revoked on 3 May 2026"), the same on every machine: UTC and
// English month names, with no dependence on the locale data Node happens to carry.
const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "3 May 2026" (UTC): a date a person reads without a locale guess. */
export function dateInWords(date: Date): string {
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}
