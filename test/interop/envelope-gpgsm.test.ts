// The CMS envelope against gpgsm (GnuPG's S/MIME tool), both ways, for RSA with AES-CBC as
// issue 3 asks: gpgsm encrypts and Sealmail decrypts; Sealmail encrypts and gpgsm decrypts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decryptContent, encryptContent, type ContentCipherName } from '../../core/smime/envelope/index.js';
import { createGpgsmHome, type GpgsmHome } from '../support/gpgsm-home.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let alice: IssuedCertificate;
let gnupg: GpgsmHome;

beforeAll(() => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  gnupg = createGpgsmHome(pki, alice);
});
afterAll(() => {
  gnupg?.stop();
  pki?.cleanup();
});

const plaintext = new TextEncoder().encode(
  'Content-Type: text/plain\r\n\r\nFrom gpgsm with love.\r\n'.repeat(20),
);
let counter = 0;

describe('gpgsm encrypts, Sealmail decrypts', () => {
  it.each([
    ['AES128', 'aes-128-cbc'],
    ['AES256', 'aes-256-cbc'],
  ])('RSA with %s', async (gpgsmCipher, cipher) => {
    const input = pki.writeFile(`gpgsm-${++counter}.txt`, plaintext);
    const output = `${pki.dir}/gpgsm-${counter}.der`;
    gnupg.gpgsm(['--cipher-algo', gpgsmCipher, '-r', alice.email!, '-o', output, '--encrypt', input]);
    const opened = await decryptContent(new Uint8Array(readFileSync(output)), [
      { certificate: alice.certDer, privateKey: alice.keyDer },
    ]);
    expect(opened.content).toEqual(plaintext);
    expect(opened.algorithm).toMatchObject({ contentCipher: cipher, keyManagement: 'rsa-pkcs1' });
  });
});

describe('Sealmail encrypts, gpgsm decrypts', () => {
  it.each<ContentCipherName>(['aes-128-cbc', 'aes-256-cbc'])('RSA with %s', async (cipher) => {
    const sealed = await encryptContent(plaintext, [alice.certDer], { cipher });
    const input = pki.writeFile(`sealmail-${++counter}.der`, sealed);
    expect(new Uint8Array(gnupg.gpgsm(['--decrypt', input]))).toEqual(plaintext);
  });
});
