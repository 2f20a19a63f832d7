// UTCTime and GeneralizedTime as RFC 5280 profiles them (§4.1.2.5.1, §4.1.2.5.2, §5.1.2.4):
// always UTC ("Z"), always with seconds, no fractions. Dates up to 2049 use UTCTime, later ones
// GeneralizedTime; a CRL may mix both. Parsed straight from the bytes into seconds since the
// epoch, with no Date object, because every one of a million entries carries one.
import { malformed, TAG } from './der-reader.js';

function digits2(b: Uint8Array, p: number): number {
  const hi = b[p]! - 0x30;
  const lo = b[p + 1]! - 0x30;
  if (hi < 0 || hi > 9 || lo < 0 || lo > 9) return -1;
  return hi * 10 + lo;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const monthDays = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Seconds since the epoch of the Time whose tag and content range are given. */
export function readTime(bytes: Uint8Array, tag: number, from: number, to: number, what: string): number {
  let year: number;
  let p = from;
  if (tag === TAG.UTC_TIME) {
    if (to - from !== 13) throw malformed(`${what} is not YYMMDDHHMMSSZ`);
    const yy = digits2(bytes, p);
    if (yy < 0) throw malformed(`${what} has a bad year`);
    // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, YY < 50 is 20YY.
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    p += 2;
  } else if (tag === TAG.GENERALIZED_TIME) {
    if (to - from !== 15) throw malformed(`${what} is not YYYYMMDDHHMMSSZ`);
    const hi = digits2(bytes, p);
    const lo = digits2(bytes, p + 2);
    if (hi < 0 || lo < 0) throw malformed(`${what} has a bad year`);
    year = hi * 100 + lo;
    p += 4;
  } else {
    throw malformed(`${what} is not a UTCTime or GeneralizedTime`);
  }
  const month = digits2(bytes, p);
  const day = digits2(bytes, p + 2);
  const hour = digits2(bytes, p + 4);
  const minute = digits2(bytes, p + 6);
  const second = digits2(bytes, p + 8);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > monthDays[month - 1]! ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    bytes[p + 10] !== 0x5a
  ) {
    throw malformed(`${what} is not a valid UTC date`);
  }
  if (month === 2 && day === 29 && (year % 4 !== 0 || (year % 100 === 0 && year % 400 !== 0))) {
    throw malformed(`${what} is 29 February of a common year`);
  }
  return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
