// Serial numbers as fixed-width, byte-comparable keys.
//
// OpenSSL compares serials as integers: c2i_ASN1_INTEGER turns the DER content into a sign and a
// magnitude (dropping the 0x00 that keeps a positive value's high bit clear, and undoing two's
// complement for a negative one), and ASN1_INTEGER_cmp orders negative before positive, then by
// magnitude. Because DER integers are minimal (X.690 §8.3.2; OpenSSL 3 rejects padded ones),
// equal values have equal content octets, so the value is what identifies a certificate:
//   - leading zeros: 00 80 01 is the positive value 0x8001, the certificate OpenSSL prints as
//     "8001"; a padded 00 00 01 is rejected as malformed by both OpenSSL and this reader;
//   - 20-octet serials (RFC 5280 §4.1.2.2's maximum) and the 21-octet content a CA produces when
//     a 20-octet value has its high bit set are both accepted, as OpenSSL accepts any length;
//   - negative serials (forbidden by RFC 5280 but issued by broken CAs) keep their sign: OpenSSL
//     prints FF 7F as "-81" and matches it only against the certificate whose serial is -0x81.
//
// A key is the value in two's complement, sign-extended to the CRL's widest serial, with the
// sign bit flipped: unsigned byte order of keys is then numeric order of serials, so one sorted
// Uint8Array and a binary search replace a million objects.
import { SealmailError } from '../../errors.js';

/** Writes the key of the DER INTEGER content bytes[from..to) into out[at..at+width). */
export function writeKey(
  bytes: Uint8Array,
  from: number,
  to: number,
  out: Uint8Array,
  at: number,
  width: number,
): void {
  const len = to - from;
  const fill = bytes[from]! & 0x80 ? 0xff : 0x00;
  const pad = width - len;
  for (let i = 0; i < pad; i++) out[at + i] = fill;
  // A plain loop rather than out.set(bytes.subarray(…)): this runs once per CRL entry, and a
  // view object per entry is most of the cost of indexing a million of them.
  for (let i = 0; i < len; i++) out[at + pad + i] = bytes[from + i]!;
  out[at] = out[at]! ^ 0x80;
}

/** Compares key a (in keys at index i) with the key in probe; both `width` bytes long. */
export function compareKeyAt(keys: Uint8Array, i: number, probe: Uint8Array, width: number): number {
  const base = i * width;
  for (let k = 0; k < width; k++) {
    const d = keys[base + k]! - probe[k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The DER INTEGER content of a serial written in hex, as `openssl crl -text` and `openssl x509
 * -serial` print it: the magnitude, with a leading "-" for a negative serial. "0x" and colons
 * are accepted because people paste them.
 */
export function serialFromHex(text: string): Uint8Array {
  let s = text.trim().replace(/:/g, '');
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  if (/^0x/i.test(s)) s = s.slice(2);
  if (!/^[0-9a-f]+$/i.test(s)) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `"${text}" is not a serial number in hex (for example 1A2B or -81).`,
    );
  }
  let magnitude = BigInt(`0x${s}`);
  if (negative) magnitude = -magnitude;
  return integerContent(magnitude);
}

/** Minimal two's-complement content octets of an integer (X.690 §8.3). */
export function integerContent(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0xffn);
    out.push(byte);
    v >>= 8n;
    if ((v === 0n && !(byte & 0x80)) || (v === -1n && byte & 0x80)) break;
  }
  return Uint8Array.from(out.reverse());
}

/** The serial printed the way OpenSSL prints it: uppercase hex magnitude, "-" when negative. */
export function serialToHex(content: Uint8Array): string {
  let v = 0n;
  for (const byte of content) v = (v << 8n) | BigInt(byte);
  if (content.length > 0 && content[0]! & 0x80) v -= 1n << BigInt(content.length * 8);
  const magnitude = v < 0n ? -v : v;
  let hex = magnitude.toString(16).toUpperCase();
  if (hex.length % 2) hex = `0${hex}`;
  return v < 0n ? `-${hex}` : hex;
}
