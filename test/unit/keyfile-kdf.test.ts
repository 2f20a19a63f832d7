// The synchronous hashes and the PKCS#12 key derivation (RFC 7292 appendix B.2) that the key
// file's MAC and the legacy import ciphers rest on, checked against two independent
// implementations: Node's OpenSSL-backed hashes and node-forge's pkcs12.generateKey.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { iteratedHash } from '../../core/keyfile/iterated-hash.js';
import { sha256RoundsInWasm } from '../../core/keyfile/sha256-rounds-wasm.js';
import { bmpPassword, kdfPurpose, pkcs12Kdf } from '../../core/keyfile/pkcs12-kdf.js';

function nodeIterated(name: 'sha1' | 'sha256', data: Uint8Array, count: number): Uint8Array {
  let out = createHash(name).update(data).digest();
  for (let i = 1; i < count; i++) out = createHash(name).update(out).digest();
  return new Uint8Array(out);
}

const binary = (bytes: Uint8Array) => Buffer.from(bytes).toString('binary');

describe('iterated SHA-1 and SHA-256', () => {
  it('match OpenSSL for inputs of every length around the block boundaries and for repeated rounds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (data, count) => {
        expect(iteratedHash('SHA-256', data, count)).toEqual(nodeIterated('sha256', data, count));
        expect(iteratedHash('SHA-1', data, count)).toEqual(nodeIterated('sha1', data, count));
      }),
      { numRuns: 300 },
    );
  });
});

describe('long runs of SHA-256 in WebAssembly', () => {
  it('is available here, so a key file unlocks at its speed', () => {
    expect(sha256RoundsInWasm()).not.toBeNull();
  });

  it('gives what OpenSSL gives for runs long enough to take it', () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(iteratedHash('SHA-256', data, 30_001)).toEqual(nodeIterated('sha256', data, 30_001));
  });

  it('gives the rounds the JavaScript gives, for any state and a few rounds', () => {
    const rounds = sha256RoundsInWasm()!;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 2100 }),
        (digest, count) => {
          const state = new Int32Array(8);
          for (let i = 0; i < 8; i++) state[i] = new DataView(digest.buffer).getInt32(i * 4);
          rounds(state, count);
          const out = new Uint8Array(32);
          for (let i = 0; i < 8; i++) new DataView(out.buffer).setInt32(i * 4, state[i]);
          // H^(count+1) of the digest's preimage is H^count of the digest: compare with OpenSSL.
          expect(out).toEqual(count === 0 ? digest : nodeIterated('sha256', digest, count));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('PKCS#12 key derivation (RFC 7292 B.2)', () => {
  it('gives the MAC keys, cipher keys and IVs node-forge gives, for SHA-1 and SHA-2', async () => {
    const digests = [
      ['SHA-1', () => forge.md.sha1.create()],
      ['SHA-256', () => forge.md.sha256.create()],
      ['SHA-384', () => forge.md.sha384.create()],
      ['SHA-512', () => forge.md.sha512.create()],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }),
        fc.uint8Array({ minLength: 1, maxLength: 20 }),
        fc.constantFrom(kdfPurpose.encryptionKey, kdfPurpose.iv, kdfPurpose.macKey),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 130 }),
        fc.constantFrom(...digests),
        async (password, salt, purpose, iterations, length, [hash, md]) => {
          const saltBuffer = forge.util.createBuffer(binary(salt));
          const expected = forge.pkcs12.generateKey(password, saltBuffer, purpose, iterations, length, md());
          const actual = await pkcs12Kdf(hash, purpose, password, salt, iterations, length);
          expect(binary(actual)).toBe(expected.bytes());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('encodes the password as a NUL-terminated big-endian BMPString (RFC 7292 B.1)', () => {
    expect(Array.from(bmpPassword('Aé'))).toEqual([0x00, 0x41, 0x00, 0xe9, 0x00, 0x00]);
    expect(Array.from(bmpPassword(''))).toEqual([0x00, 0x00]);
  });
});
