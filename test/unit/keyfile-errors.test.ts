// What a user is told when a key file cannot be opened: a wrong password, a file changed after
// it was written (one flipped byte anywhere), and something that is not a key file at all. The
// byte-flip property runs on a key file with a low iteration count (the reader accepts any
// count) so that it can try many positions; the single cases use Sealmail's real parameters.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { openKeyFile, sealKeyFile } from '../../core/keyfile/key-file.js';
import type { KeyFileContents } from '../../core/keyfile/key-file-contents.js';
import { createTestPki, type TestPki } from '../support/openssl-pki.js';

const password = 'correct horse battery staple';
let pki: TestPki;
let contents: KeyFileContents;
let keyFile: Uint8Array;
let fastKeyFile: Uint8Array;

async function failureOf(bytes: Uint8Array, pass = password): Promise<SealmailError> {
  try {
    await openKeyFile(bytes, pass);
  } catch (error) {
    if (error instanceof SealmailError) return error;
    throw error;
  }
  throw new Error('the key file opened');
}

beforeAll(async () => {
  pki = createTestPki();
  const signing = pki.issueUser({ email: 'alice@example.test', purpose: 'signing' });
  const encryption = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  contents = {
    keys: [
      { privateKey: signing.keyDer, certificate: signing.certDer, signing: true, encryption: null },
      {
        privateKey: encryption.keyDer,
        certificate: encryption.certDer,
        signing: false,
        encryption: 'current',
      },
    ],
    caCertificates: [pki.root.certDer],
  };
  keyFile = await sealKeyFile(contents, password);
  fastKeyFile = await sealKeyFile(contents, password, { pbkdf2Iterations: 1_000, macIterations: 1_000 });
}, 60_000);
afterAll(() => pki.cleanup());

describe('a wrong password', () => {
  it('is reported as WRONG_PASSWORD with a message that says so', async () => {
    const error = await failureOf(keyFile, 'correct horse battery stapler');
    expect(error.code).toBe('WRONG_PASSWORD');
    expect(error.message).toMatch(/password is wrong/);
  }, 60_000);

  it('is told apart from tampering also for a password that differs only in case', async () => {
    expect((await failureOf(fastKeyFile, password.toUpperCase())).code).toBe('WRONG_PASSWORD');
  });
});

describe('a changed key file', () => {
  it('is reported as KEYFILE_TAMPERED when a byte of an encrypted key is flipped', async () => {
    const flipped = keyFile.slice();
    flipped[Math.floor(flipped.length / 2)] ^= 0x01;
    const error = await failureOf(flipped);
    expect(error.code).toBe('KEYFILE_TAMPERED');
    expect(error.message).toMatch(/changed or damaged/);
  }, 60_000);

  it('is reported as KEYFILE_TAMPERED when the stored MAC is changed', async () => {
    // MacData ends the file: ... OCTET STRING salt (16 bytes), INTEGER iterations. The MAC value
    // itself sits just before the salt.
    const flipped = fastKeyFile.slice();
    flipped[flipped.length - 1 - 4 - 18 - 5] ^= 0x80;
    expect((await failureOf(flipped)).code).toBe('KEYFILE_TAMPERED');
  });

  it('never opens, and is reported as KEYFILE_TAMPERED, whichever bit of whichever byte is flipped', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: fastKeyFile.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        async (position, bit) => {
          const flipped = fastKeyFile.slice();
          flipped[position] ^= 1 << bit;
          const error = await failureOf(flipped);
          expect(error.code).toBe('KEYFILE_TAMPERED');
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});

describe('something that is not a key file', () => {
  const inputs: Array<[string, () => Uint8Array]> = [
    ['random bytes', () => Uint8Array.from({ length: 500 }, (_, i) => (i * 7919) & 0xff)],
    ['a PEM certificate', () => new TextEncoder().encode(pki.root.certPem)],
    ['a DER certificate', () => pki.root.certDer],
    ['an empty file', () => new Uint8Array(0)],
  ];
  it.each(inputs)('is reported as MALFORMED_KEYFILE: %s', async (_what, bytes) => {
    const error = await failureOf(bytes());
    expect(error.code).toBe('MALFORMED_KEYFILE');
    expect(error.message).toMatch(/not a key file/);
  });
});
