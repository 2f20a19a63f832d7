// Minimal DER writing (X.690 §10) for the one structure the KM emits in bulk: the CRL. pkijs
// builds an object per node, which took 28 s and 2 GB for 100,000 revoked serials here; writing
// the bytes directly keeps issuance proportional to the output size.
import { concatBytes as concat } from '../../core/mime/message-bytes.js';

export function derLength(length: number): Uint8Array {
  if (length < 0x80) return new Uint8Array([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return new Uint8Array([0x80 | bytes.length, ...bytes]);
}

export { concat };

export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const body = content.length === 1 ? (content[0] ?? new Uint8Array()) : concat(content);
  return concat([new Uint8Array([tag]), derLength(body.length), body]);
}

export const sequence = (...content: readonly Uint8Array[]): Uint8Array<ArrayBuffer> => tlv(0x30, ...content);

/** A non-negative INTEGER from big-endian magnitude bytes, minimally encoded (X.690 §8.3.2). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const padded = (trimmed[0] ?? 0) & 0x80 ? concat([new Uint8Array([0]), trimmed]) : trimmed;
  return tlv(0x02, padded.length === 0 ? new Uint8Array([0]) : padded);
}

export function smallInteger(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return unsignedInteger(new Uint8Array(bytes.length ? bytes : [0]));
}

export function objectIdentifier(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      chunk.unshift(0x80 | (value & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(bytes));
}

const two = (n: number): string => String(n).padStart(2, '0');

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, always in seconds and Z. */
export function time(value: Date): Uint8Array {
  const year = value.getUTCFullYear();
  const rest = `${two(value.getUTCMonth() + 1)}${two(value.getUTCDate())}${two(value.getUTCHours())}${two(value.getUTCMinutes())}${two(value.getUTCSeconds())}Z`;
  return year < 2050
    ? tlv(0x17, new TextEncoder().encode(`${two(year % 100)}${rest}`))
    : tlv(0x18, new TextEncoder().encode(`${year}${rest}`));
}
