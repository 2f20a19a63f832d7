// Large content is encrypted, decrypted and base64-encoded in pieces so that a 25 MB message is
// not copied whole (bench/smime.ts). The pieces must give exactly the bytes one pass gives: these
// tests cut at and around the 1 MiB piece size and at every offset within a base64 group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { encodeBase64Lines } from '../../core/mime/base64.js';
import { concatBytes } from '../../core/mime/message-bytes.js';
import { decryptCbcPieces, encryptCbcPieces } from '../../core/smime/envelope/aes-cbc-pieces.js';
import { decryptContent, encryptContentParts } from '../../core/smime/envelope/index.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

const MiB = 1024 * 1024;

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536)
    crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  return out;
}

async function cbcKey(): Promise<{ key: CryptoKey; raw: Uint8Array }> {
  const raw = randomBytes(32);
  const key = await crypto.subtle.importKey('raw', raw, 'AES-CBC', false, ['encrypt', 'decrypt']);
  return { key, raw };
}

describe('AES-CBC in pieces', () => {
  it.each([0, 15, 16, MiB - 1, MiB, MiB + 1, 2 * MiB + 17])(
    'gives the same ciphertext as one call, and decrypts back, for %i bytes',
    async (length) => {
      const { key } = await cbcKey();
      const iv = randomBytes(16);
      const content = randomBytes(length);
      const pieces = await encryptCbcPieces(key, iv, content);
      const whole = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, content));
      expect(Buffer.compare(concatBytes(pieces), whole)).toBe(0);
      const opened = await decryptCbcPieces(key, iv, whole);
      expect(Buffer.compare(opened, content)).toBe(0);
    },
  );

  it('fails, as one call would, when the last block was altered', async () => {
    const { key } = await cbcKey();
    const iv = randomBytes(16);
    const content = randomBytes(2 * MiB + 5);
    const sealed = new Uint8Array(concatBytes(await encryptCbcPieces(key, iv, content)));
    // Altering the next-to-last block flips the padding length in the last block (11 → 244).
    sealed[sealed.length - 17] ^= 0xff;
    const alone = crypto.subtle.decrypt({ name: 'AES-CBC', iv }, key, sealed).then(
      () => 'opened',
      () => 'failed',
    );
    const inPieces = decryptCbcPieces(key, iv, sealed).then(
      () => 'opened',
      () => 'failed',
    );
    expect(await alone).toBe('failed');
    expect(await inPieces).toBe('failed');
  });

  it('refuses a ciphertext that is not whole blocks', async () => {
    const { key } = await cbcKey();
    await expect(decryptCbcPieces(key, randomBytes(16), randomBytes(MiB + 3))).rejects.toThrow();
  });
});

describe('base64 of pieces', () => {
  it('is the base64 of the pieces joined, wherever they are cut', () => {
    const data = randomBytes(1000);
    const joined = Buffer.from(encodeBase64Lines(data)).toString('latin1');
    for (let cut = 0; cut <= 12; cut++) {
      for (const lineLength of [76, 64]) {
        const pieces = [
          data.subarray(0, cut),
          data.subarray(cut, cut + 1),
          data.subarray(cut + 1, 500),
          data.subarray(500),
        ];
        const encoded = encodeBase64Lines(pieces, lineLength, new TextEncoder().encode('Head\r\n\r\n'));
        const expected = Buffer.from(encodeBase64Lines(data, lineLength)).toString('latin1');
        expect(Buffer.from(encoded).toString('latin1')).toBe(`Head\r\n\r\n${expected}`);
      }
    }
    expect(joined).toBe(`${Buffer.from(data).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`);
  });
});

describe('an envelope written in pieces', () => {
  let pki: TestPki;
  let alice: IssuedCertificate;
  beforeAll(() => {
    pki = createTestPki();
    alice = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  });
  afterAll(() => pki?.cleanup());

  it.each(['aes-256-cbc', 'aes-256-gcm'] as const)(
    'opens when its pieces are joined (%s)',
    async (cipher) => {
      const content = randomBytes(3 * MiB + 7);
      const parts = await encryptContentParts(content, [alice.certDer], { cipher });
      expect(parts.length).toBeGreaterThan(1);
      const opened = await decryptContent(concatBytes(parts), [
        { certificate: alice.certDer, privateKey: alice.keyDer },
      ]);
      expect(Buffer.compare(opened.content, content)).toBe(0);
    },
  );

  it('says DECRYPTION_FAILED when an AES-CBC envelope written in pieces is damaged at the end', async () => {
    const parts = await encryptContentParts(randomBytes(MiB + 100), [alice.certDer]);
    const sealed = concatBytes(parts);
    // The padding length in the last block becomes 13 where 12 bytes of padding were: invalid.
    sealed[sealed.length - 17] ^= 0x01;
    const code = await decryptContent(sealed, [
      { certificate: alice.certDer, privateKey: alice.keyDer },
    ]).then(
      () => 'opened',
      (error: unknown) => (error instanceof SealmailError ? error.code : String(error)),
    );
    expect(code).toBe('DECRYPTION_FAILED');
  });
});
