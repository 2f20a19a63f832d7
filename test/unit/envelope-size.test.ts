// A 25 MB message (seed 001's policy limit) encrypts and decrypts: asn1js's default limits
// (16 MiB of content) would reject it, so this proves the limits are set on purpose.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decryptContent, encryptContent, type ContentCipherName } from '../../core/smime/envelope/index.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let rsa: IssuedCertificate;
let ec: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki();
  rsa = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  ec = pki.issueUser({
    email: 'bob@example.test',
    purpose: 'encryption',
    key: { type: 'ec', curve: 'P-256' },
  });
});
afterAll(() => pki?.cleanup());

function bigMessage(bytes: number): Uint8Array {
  const content = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 997) content[i] = (i * 31) & 0xff;
  return content;
}

it.each<ContentCipherName>(['aes-256-cbc', 'aes-256-gcm'])(
  'round-trips a 25 MB message with %s to an RSA and an EC recipient',
  async (cipher) => {
    const content = bigMessage(25 * 1024 * 1024);
    const sealed = await encryptContent(content, [rsa.certDer, ec.certDer], { cipher });
    expect(sealed.byteLength).toBeGreaterThan(content.byteLength);
    for (const holder of [rsa, ec]) {
      const opened = await decryptContent(sealed, [
        { certificate: holder.certDer, privateKey: holder.keyDer },
      ]);
      expect(opened.content.byteLength).toBe(content.byteLength);
      expect(Buffer.compare(opened.content, content)).toBe(0);
    }
  },
  120_000,
);
