// Certificate serial numbers: 16 random bytes, positive and minimally encoded, so they are
// unpredictable (CA/B BR §7.1 asks for at least 64 random bits) and unique without a counter
// shared between KM nodes.
import { randomBytes } from 'node:crypto';

/** The INTEGER content octets of a fresh serial. */
export function newSerialNumber(): Uint8Array {
  const bytes = new Uint8Array(randomBytes(16));
  // Top bit clear keeps it positive; the next bit set keeps the first byte non-zero (minimal DER).
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes;
}

export function serialHex(content: Uint8Array): string {
  return Buffer.from(content).toString('hex');
}
