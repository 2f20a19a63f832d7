// Sealmail encrypts and then decrypts its own envelopes, for every recipient key type and every
// content cipher, with keys given as PKCS#8 bytes or as WebCrypto CryptoKeys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptContent, encryptContent, type ContentCipherName } from '../../core/smime/envelope/index.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let rsa: IssuedCertificate;
let rsaPrevious: IssuedCertificate;
let p256: IssuedCertificate;
let p384: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki();
  rsa = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  rsaPrevious = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  p256 = pki.issueUser({
    email: 'bob@example.test',
    purpose: 'encryption',
    key: { type: 'ec', curve: 'P-256' },
  });
  p384 = pki.issueUser({
    email: 'carol@example.test',
    purpose: 'encryption',
    key: { type: 'ec', curve: 'P-384' },
  });
});
afterAll(() => pki?.cleanup());

const message = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nThe launch code is 0000.\r\n');
const ciphers: ContentCipherName[] = ['aes-256-cbc', 'aes-128-cbc', 'aes-256-gcm'];
const keyOf = (holder: IssuedCertificate) => ({ certificate: holder.certDer, privateKey: holder.keyDer });

describe.each(ciphers)('%s', (cipher) => {
  it('round-trips to an RSA recipient with PKCS#1 v1.5 key transport', async () => {
    const sealed = await encryptContent(message, [rsa.certDer], { cipher });
    const opened = await decryptContent(sealed, [keyOf(rsa)]);
    expect(opened.content).toEqual(message);
    expect(opened.algorithm).toMatchObject({
      contentCipher: cipher,
      keyManagement: 'rsa-pkcs1',
      keyIndex: 0,
    });
    expect(opened.algorithm.structure).toBe(
      cipher === 'aes-256-gcm' ? 'auth-enveloped-data' : 'enveloped-data',
    );
    expect(opened.warnings).toEqual([]);
  });

  it('round-trips to an RSA recipient that supports RSA-OAEP with SHA-256', async () => {
    const sealed = await encryptContent(message, [{ certificate: rsa.certDer, supportsRsaOaep: true }], {
      cipher,
    });
    const opened = await decryptContent(sealed, [keyOf(rsa)]);
    expect(opened.content).toEqual(message);
    expect(opened.algorithm.keyManagement).toBe('rsa-oaep-sha256');
  });

  it.each([
    ['P-256', () => p256, 'ecdh-sha256kdf'],
    ['P-384', () => p384, 'ecdh-sha384kdf'],
  ])('round-trips to an EC %s recipient with ephemeral-static ECDH', async (_curve, holder, scheme) => {
    const sealed = await encryptContent(message, [holder().certDer], { cipher });
    const opened = await decryptContent(sealed, [keyOf(holder())]);
    expect(opened.content).toEqual(message);
    expect(opened.algorithm.keyManagement).toBe(`${scheme}-aes${cipher.includes('128') ? 128 : 256}-wrap`);
  });
});

describe('several recipients and keys', () => {
  it('lets each of several RSA and EC recipients open the same message', async () => {
    const sealed = await encryptContent(message, [rsa.certDer, p256.certDer, p384.certDer]);
    for (const holder of [rsa, p256, p384]) {
      const opened = await decryptContent(sealed, [keyOf(holder)]);
      expect(opened.content).toEqual(message);
      expect(opened.algorithm.recipientCount).toBe(3);
    }
  });

  it('writes one RecipientInfo when the same certificate is given twice', async () => {
    const sealed = await encryptContent(message, [rsa.certDer, rsa.certDer]);
    expect((await decryptContent(sealed, [keyOf(rsa)])).algorithm.recipientCount).toBe(1);
  });

  it('opens old mail with a previous key from the key file', async () => {
    const sealed = await encryptContent(message, [rsaPrevious.certDer]);
    const opened = await decryptContent(sealed, [keyOf(rsa), keyOf(p256), keyOf(rsaPrevious)]);
    expect(opened.content).toEqual(message);
    expect(opened.algorithm.keyIndex).toBe(2);
  });

  it('accepts private keys as WebCrypto CryptoKeys', async () => {
    const importPkcs8 = (holder: IssuedCertificate, algorithm: RsaHashedImportParams | EcKeyImportParams) =>
      crypto.subtle.importKey(
        'pkcs8',
        new Uint8Array(holder.keyDer),
        algorithm,
        true,
        algorithm.name === 'ECDH' ? ['deriveBits'] : ['decrypt'],
      );
    const rsaKey = await importPkcs8(rsa, { name: 'RSA-OAEP', hash: 'SHA-256' });
    const ecKey = await importPkcs8(p256, { name: 'ECDH', namedCurve: 'P-256' });
    const toRsa = await encryptContent(message, [rsa.certDer]);
    const toEc = await encryptContent(message, [p256.certDer], { cipher: 'aes-256-gcm' });
    expect((await decryptContent(toRsa, [{ certificate: rsa.certDer, privateKey: rsaKey }])).content).toEqual(
      message,
    );
    expect((await decryptContent(toEc, [{ certificate: p256.certDer, privateKey: ecKey }])).content).toEqual(
      message,
    );
  });

  it('round-trips empty content', async () => {
    const sealed = await encryptContent(new Uint8Array(0), [rsa.certDer], { cipher: 'aes-256-gcm' });
    expect((await decryptContent(sealed, [keyOf(rsa)])).content).toEqual(new Uint8Array(0));
  });
});
