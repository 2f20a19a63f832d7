// Serial numbers as index keys: numeric order, OpenSSL's hex spelling, and every encoding a CA
// can produce (leading 00, 20 octets, negative serials), checked over random values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RevokedSerialIndex } from '../../core/pki/crl/revoked-index.js';
import { integerContent, serialFromHex, serialToHex, writeKey } from '../../core/pki/crl/serial-key.js';

const serials = fc.bigInt({ min: -(1n << 167n), max: (1n << 168n) - 1n });

function keyOf(value: bigint, width: number): Uint8Array {
  const content = integerContent(value);
  const key = new Uint8Array(width);
  writeKey(content, 0, content.length, key, 0, width);
  return key;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function indexOf(values: bigint[]): RevokedSerialIndex {
  const sorted = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const width = Math.max(1, ...sorted.map((v) => integerContent(v).length));
  const keys = new Uint8Array(sorted.length * width);
  sorted.forEach((v, i) => keys.set(keyOf(v, width), i * width));
  return new RevokedSerialIndex(
    sorted.length,
    width,
    keys,
    new Uint32Array(sorted.length),
    new Uint8Array(sorted.length).fill(255),
  );
}

describe('serial keys', () => {
  it('order like the integers they encode, whatever their length and sign', () => {
    fc.assert(
      fc.property(serials, serials, (a, b) => {
        const width = Math.max(integerContent(a).length, integerContent(b).length);
        expect(Math.sign(compareBytes(keyOf(a, width), keyOf(b, width)))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('spell serials as openssl does and read them back', () => {
    expect(serialToHex(Uint8Array.of(0x00, 0x80, 0x01))).toBe('8001');
    expect(serialToHex(Uint8Array.of(0xff, 0x7f))).toBe('-81');
    expect(serialToHex(Uint8Array.of(0x00))).toBe('00');
    expect(serialFromHex('00:80:01')).toEqual(Uint8Array.of(0x00, 0x80, 0x01));
    expect(serialFromHex('-81')).toEqual(Uint8Array.of(0xff, 0x7f));
    expect(serialFromHex('0x0001')).toEqual(Uint8Array.of(0x01));
    fc.assert(
      fc.property(serials, (v) => {
        expect(serialFromHex(serialToHex(integerContent(v)))).toEqual(integerContent(v));
      }),
    );
  });

  it('refuses a serial that is not hex', () => {
    expect(() => serialFromHex('12G4')).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });

  it('find exactly the listed serials in an index', () => {
    fc.assert(
      fc.property(fc.array(serials, { minLength: 1, maxLength: 60 }), serials, (listed, probe) => {
        const index = indexOf(listed);
        for (const v of listed) expect(index.find(integerContent(v))).not.toBeNull();
        expect(index.find(integerContent(probe)) !== null).toBe(listed.includes(probe));
        for (let i = 0; i < index.count; i++) expect(index.indexOf(index.serialAt(i))).toBe(i);
      }),
    );
  });
});
