// Reads only the contentType OID at the head of a CMS ContentInfo (RFC 5652 §3), so that `open`
// can tell signed from enveloped data without parsing a 25 MB structure twice.
import { SealmailError } from '../errors.js';

function malformed(): SealmailError {
  return new SealmailError('MALFORMED_CMS', 'The S/MIME content is not a CMS ContentInfo.');
}

function skipLength(bytes: Uint8Array, at: number): { length: number | null; next: number } {
  const first = bytes[at];
  if (first === undefined) throw malformed();
  if (first < 0x80) return { length: first, next: at + 1 };
  if (first === 0x80) return { length: null, next: at + 1 }; // indefinite (BER)
  const count = first & 0x7f;
  if (count > 4) throw malformed();
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw malformed();
    length = length * 256 + byte;
  }
  return { length, next: at + 1 + count };
}

export function contentInfoType(der: Uint8Array): string {
  if (der[0] !== 0x30) throw malformed();
  const outer = skipLength(der, 1);
  if (der[outer.next] !== 0x06) throw malformed();
  const oid = skipLength(der, outer.next + 1);
  if (oid.length === null || oid.length === 0 || oid.length > 32) throw malformed();
  const body = der.subarray(oid.next, oid.next + oid.length);
  if (body.length !== oid.length) throw malformed();
  const arcs: number[] = [];
  let value = 0;
  for (const byte of body) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  if (arcs.length === 0) throw malformed();
  const first = arcs[0] < 80 ? Math.floor(arcs[0] / 40) : 2;
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}
