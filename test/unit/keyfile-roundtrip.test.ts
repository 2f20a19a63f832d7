// A Sealmail key file keeps what it was given: the signing key, the current and previous
// encryption keys (each with its role) and the CA chain, under PBKDF2-HMAC-SHA256 with 600,000
// iterations, AES-256-CBC and a SHA-256 MAC. Tests that only exercise the structure use a low
// iteration count (`fastSettings`) to keep the suite quick on a shared machine; the test of the
// real parameters uses Sealmail's defaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeyFile, sealKeyFile, signingKeyOf, encryptionKeysOf } from '../../core/keyfile/key-file.js';
import type { KeyFileContents } from '../../core/keyfile/key-file-contents.js';
import { mergeImported } from '../../core/keyfile/key-roles.js';
import { summarizeKeyFile } from '../../core/keyfile/key-file-summary.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

const fastSettings = { pbkdf2Iterations: 2_000, macIterations: 2_000 };
const password = 'correct horse battery staple';

let pki: TestPki;
let signing: IssuedCertificate;
let encryption: IssuedCertificate;
let previous: IssuedCertificate;
let contents: KeyFileContents;

beforeAll(() => {
  pki = createTestPki();
  signing = pki.issueUser({ email: 'alice@example.test', purpose: 'signing' });
  previous = pki.issueUser({
    email: 'alice@example.test',
    purpose: 'encryption',
    notBefore: new Date(Date.now() - 400 * 24 * 3600 * 1000),
    notAfter: new Date(Date.now() - 35 * 24 * 3600 * 1000),
  });
  encryption = pki.issueUser({
    email: 'alice@example.test',
    purpose: 'encryption',
    key: { type: 'ec', curve: 'P-256' },
  });
  contents = {
    keys: [
      { privateKey: signing.keyDer, certificate: signing.certDer, signing: true, encryption: null },
      {
        privateKey: encryption.keyDer,
        certificate: encryption.certDer,
        signing: false,
        encryption: 'current',
      },
      { privateKey: previous.keyDer, certificate: previous.certDer, signing: false, encryption: 'previous' },
    ],
    caCertificates: [pki.root.certDer],
  };
});
afterAll(() => pki.cleanup());

describe('a Sealmail key file', () => {
  it('opens with its password and gives back every key in its role, and the CA chain', async () => {
    const bytes = await sealKeyFile(contents, password);
    const opened = await openKeyFile(bytes, password);

    expect(signingKeyOf(opened.contents)?.privateKey).toEqual(signing.keyDer);
    expect(signingKeyOf(opened.contents)?.certificate).toEqual(signing.certDer);
    const decrypting = encryptionKeysOf(opened.contents);
    expect(decrypting.map((k) => k.certificate)).toEqual([encryption.certDer, previous.certDer]);
    expect(decrypting.map((k) => k.privateKey)).toEqual([encryption.keyDer, previous.keyDer]);
    expect(decrypting.map((k) => k.encryption)).toEqual(['current', 'previous']);
    expect(opened.contents.caCertificates).toEqual([pki.root.certDer]);

    // The protection issue 3 asks for, read back from the file itself.
    expect(opened.protection.integrity).toBe('SHA-256 HMAC, 600000 iterations');
    expect(opened.protection.encryption).toEqual([
      'certificates: PBES2: PBKDF2-HMAC-SHA-256, 600000 iterations, AES-256-CBC',
      'keys: PBES2: PBKDF2-HMAC-SHA-256, 600000 iterations, AES-256-CBC',
    ]);
  }, 60_000);

  it('summarises keys for `keyfile info` without any private key material', async () => {
    const opened = await openKeyFile(await sealKeyFile(contents, password, fastSettings), password);
    const summary = summarizeKeyFile(opened.contents, opened.protection);
    expect(summary.keys.map((k) => [k.signing, k.encryption, k.email, k.keyAlgorithm])).toEqual([
      [true, null, 'alice@example.test', 'RSA 2048'],
      [false, 'current', 'alice@example.test', 'EC P-256'],
      [false, 'previous', 'alice@example.test', 'RSA 2048'],
    ]);
    expect(summary.keys[0].serial).toBe(signing.serialHex);
    expect(summary.caCertificates[0].subject).toBe('CN=Sealmail Test Root CA');
    const json = JSON.stringify(summary);
    expect(json).not.toContain('privateKey');
    expect(json).not.toContain(Buffer.from(signing.keyDer.subarray(-32)).toString('hex'));
  });

  it('refuses to be written without a password', async () => {
    await expect(sealKeyFile(contents, '', fastSettings)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('importing into an existing key file', () => {
  it('makes the imported encryption key current and keeps the old one as previous', async () => {
    const renewed = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
    const merged = mergeImported(contents, {
      keys: [
        { privateKey: renewed.keyDer, certificate: renewed.certDer, signing: false, encryption: 'current' },
      ],
      caCertificates: [pki.root.certDer],
    });
    const opened = await openKeyFile(await sealKeyFile(merged, password, fastSettings), password);
    expect(encryptionKeysOf(opened.contents).map((k) => [k.certificate, k.encryption])).toEqual([
      [renewed.certDer, 'current'],
      [encryption.certDer, 'previous'],
      [previous.certDer, 'previous'],
    ]);
    expect(signingKeyOf(opened.contents)?.certificate).toEqual(signing.certDer);
    expect(opened.contents.caCertificates).toHaveLength(1);
  });
});
