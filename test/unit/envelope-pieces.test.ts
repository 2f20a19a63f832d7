// Large content is encrypted, decrypted and base64-encoded in pieces so that a 25 MB message is
// not copied whole (bench/smime.ts). The pieces must give exactly the bytes one pass gives: these
// tests cut at and around the 1 MiB piece size and at every offset within a base64 group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import {
  Base64LineEncoder,
  decodeBase64,
  decodeBase64InPlace,
  encodeBase64Lines,
} from '../../core/mime/base64.js';
import { concatBytes } from '../../core/mime/message-bytes.js';
import {
  decryptCbcPieces,
  encryptCbcPieces,
  encryptCbcStream,
} from '../../core/smime/envelope/aes-cbc-pieces.js';
import {
  decryptContent,
  encryptContentInPieces,
  encryptContentParts,
} from '../../core/smime/envelope/index.js';
import { openMessage } from '../../core/smime/open.js';
import { sealMessageTo } from '../../core/smime/seal.js';
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

  it('gives the same ciphertext from content given in pieces of any size, as it is asked for', async () => {
    const { key } = await cbcKey();
    const iv = randomBytes(16);
    const content = randomBytes(2 * MiB + 40);
    const cuts = [0, 3, 3, MiB - 5, MiB + 2, 2 * MiB + 39, 2 * MiB + 40];
    const given = cuts.slice(1).map((end, i) => content.subarray(cuts[i], end));
    const made: Uint8Array[] = [];
    for await (const piece of encryptCbcStream(key, iv, given)) made.push(piece.slice());
    const whole = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, content));
    expect(made.length).toBe(3);
    expect(Buffer.compare(concatBytes(made), whole)).toBe(0);
  });

  it('decrypts in place to the same bytes, over its own ciphertext', async () => {
    const { key } = await cbcKey();
    const iv = randomBytes(16);
    const content = randomBytes(3 * MiB + 100);
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, content));
    const opened = await decryptCbcPieces(key, iv, sealed, true);
    expect(opened.buffer).toBe(sealed.buffer);
    expect(Buffer.compare(opened, content)).toBe(0);
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

describe('base64 decoded in place', () => {
  it('gives what decoding into new bytes gives, in the bytes it read, with lines of any length', () => {
    for (const length of [0, 1, 2, 3, 56, 57, 58, 1000]) {
      const data = randomBytes(length);
      for (const lineLength of [4, 64, 76]) {
        const text = encodeBase64Lines(data, lineLength).slice();
        const expected = decodeBase64(text);
        const decoded = decodeBase64InPlace(text);
        expect(decoded.buffer).toBe(text.buffer);
        expect(Buffer.compare(decoded, expected)).toBe(0);
        expect(Buffer.compare(decoded, data)).toBe(0);
      }
    }
  });
});

describe('base64 of pieces as they come', () => {
  it('gives the lines encodeBase64Lines gives, wherever the pieces are cut', () => {
    const data = randomBytes(700);
    for (const lineLength of [76, 64]) {
      const expected = Buffer.from(encodeBase64Lines(data, lineLength)).toString('latin1');
      for (let cut = 0; cut <= 80; cut++) {
        const encoder = new Base64LineEncoder(lineLength);
        const out = [data.subarray(0, cut), data.subarray(cut, cut + 1), data.subarray(cut + 1, 400)].map(
          (piece) => encoder.push(piece),
        );
        out.push(encoder.push(data.subarray(400)), encoder.push(new Uint8Array(0)), encoder.finish());
        expect(Buffer.from(concatBytes(out)).toString('latin1')).toBe(expected);
      }
    }
  });

  it('ends with a line break only when there was something to encode', () => {
    const empty = new Base64LineEncoder();
    expect(empty.push(new Uint8Array(0)).length + empty.finish().length).toBe(0);
    const whole = new Base64LineEncoder();
    const line = concatBytes([whole.push(randomBytes(57)), whole.finish()]);
    expect(Buffer.from(line).toString('latin1')).toMatch(/^[A-Za-z0-9+/]{76}\r\n$/);
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

  it.each(['aes-256-cbc', 'aes-128-cbc', 'aes-256-gcm'] as const)(
    'opens when made from content in pieces, its ciphertext made as it is read (%s)',
    async (cipher) => {
      const content = randomBytes(2 * MiB + 3);
      const given = [content.subarray(0, 10), content.subarray(10, MiB + 1), content.subarray(MiB + 1)];
      const envelope = await encryptContentInPieces(given, [alice.certDer], { cipher });
      const parts = [...envelope.before];
      for await (const piece of envelope.ciphertext) parts.push(piece);
      parts.push(...envelope.after);
      const opened = await decryptContent(concatBytes(parts), [
        { certificate: alice.certDer, privateKey: alice.keyDer },
      ]);
      expect(Buffer.compare(opened.content, content)).toBe(0);
      expect(opened.algorithm.contentCipher).toBe(cipher);
    },
  );

  it('seals a large message as it is written, and opens it in the bytes it was read into', async () => {
    const body = Buffer.from(randomBytes(2 * MiB))
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const plain = new TextEncoder().encode(
      'From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: big\r\n' +
        'MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n' +
        `Content-Transfer-Encoding: base64\r\n\r\n${body}`,
    );
    const written: Uint8Array[] = [];
    await sealMessageTo(
      plain,
      {
        encrypt: {
          inPieces: async (entity) => ({
            envelope: await encryptContentInPieces(entity, [alice.certDer]),
            smimeType: 'enveloped-data',
          }),
        },
      },
      async (piece) => {
        written.push(piece);
      },
    );
    expect(written.length).toBeGreaterThan(2);
    const keys = [{ certificate: alice.certDer, privateKey: alice.keyDer }];
    const sealed = concatBytes(written);
    const asRead = sealed.slice();
    const opened = await openMessage(asRead, {
      anchors: [],
      decrypt: async (der, use) => decryptContent(der, keys, { inPlace: use?.mayOverwrite }),
      inputIsDisposable: true,
    });
    expect(opened.report).toMatchObject({ encrypted: true, decrypted: true, signed: false });
    const shown = Buffer.from(opened.message).toString('latin1');
    expect(shown.startsWith('From: Alice <alice@example.test>\r\n')).toBe(true);
    expect(shown.endsWith(`Content-Transfer-Encoding: base64\r\n\r\n${body}`)).toBe(true);
    // The plaintext lies in the very bytes the sealed message was read into.
    expect(opened.messageParts[1]!.buffer).toBe(asRead.buffer);
    const copied = await openMessage(sealed, {
      anchors: [],
      decrypt: async (der) => decryptContent(der, keys),
    });
    expect(Buffer.compare(copied.message, opened.message)).toBe(0);
  });

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
