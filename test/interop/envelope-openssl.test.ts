// The CMS envelope against OpenSSL, both ways: whatever `openssl cms -encrypt` makes, Sealmail
// decrypts; whatever Sealmail makes, `openssl cms -decrypt` decrypts. Keys and certificates are
// made by openssl at test time (test/support/openssl-pki.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decryptContent, encryptContent, type ContentCipherName } from '../../core/smime/envelope/index.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let rsa: IssuedCertificate;
let p256: IssuedCertificate;
let p384: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki();
  rsa = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
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

const plaintext = new TextEncoder().encode(
  'Content-Type: text/plain; charset=utf-8\r\n\r\nQuarterly numbers attached. \u00e9\u00e8\r\n'.repeat(50),
);
const keyOf = (holder: IssuedCertificate) => ({ certificate: holder.certDer, privateKey: holder.keyDer });

let counter = 0;
/** Runs `openssl cms -encrypt` to one recipient and returns the DER (or streamed BER) output. */
function opensslEncrypt(
  recipient: IssuedCertificate,
  cipherFlag: string,
  keyopts: string[],
  stream = false,
): Uint8Array {
  const name = `openssl-${++counter}`;
  const input = pki.writeFile(`${name}.txt`, plaintext);
  const output = `${pki.dir}/${name}.der`;
  pki.openssl([
    'cms',
    '-encrypt',
    '-binary',
    cipherFlag,
    '-in',
    input,
    '-outform',
    'DER',
    '-out',
    output,
    ...(stream ? ['-stream'] : []),
    '-recip',
    recipient.certFile,
    ...keyopts.flatMap((option) => ['-keyopt', option]),
  ]);
  return new Uint8Array(readFileSync(output));
}

/** Runs `openssl cms -decrypt` with `holder`'s key and returns the plaintext. */
function opensslDecrypt(sealed: Uint8Array, holder: IssuedCertificate): Uint8Array {
  const input = pki.writeFile(`sealmail-${++counter}.der`, sealed);
  return new Uint8Array(
    pki.openssl([
      'cms',
      '-decrypt',
      '-binary',
      '-inform',
      'DER',
      '-in',
      input,
      '-recip',
      holder.certFile,
      '-inkey',
      holder.keyFile,
    ]),
  );
}

const opensslCiphers: [ContentCipherName, string][] = [
  ['aes-128-cbc', '-aes128'],
  ['aes-256-cbc', '-aes256'],
  ['aes-256-gcm', '-aes-256-gcm'],
];

const opensslRecipients: [string, () => IssuedCertificate, string[], string][] = [
  ['RSA PKCS#1 v1.5', () => rsa, ['rsa_padding_mode:pkcs1'], 'rsa-pkcs1'],
  [
    'RSA-OAEP SHA-256',
    () => rsa,
    ['rsa_padding_mode:oaep', 'rsa_oaep_md:sha256', 'rsa_mgf1_md:sha256'],
    'rsa-oaep-sha256',
  ],
  ['RSA-OAEP (OpenSSL default SHA-1)', () => rsa, ['rsa_padding_mode:oaep'], 'rsa-oaep-sha1'],
  ['ECDH P-256 (OpenSSL default SHA-1 KDF)', () => p256, [], 'ecdh-sha1kdf'],
  ['ECDH P-256 SHA-256 KDF', () => p256, ['ecdh_kdf_md:sha256'], 'ecdh-sha256kdf'],
  ['ECDH P-384 SHA-384 KDF', () => p384, ['ecdh_kdf_md:sha384'], 'ecdh-sha384kdf'],
];

describe('OpenSSL encrypts, Sealmail decrypts', () => {
  describe.each(opensslCiphers)('%s', (cipher, flag) => {
    it.each(opensslRecipients)('%s', async (_name, holder, keyopts, keyManagement) => {
      const opened = await decryptContent(opensslEncrypt(holder(), flag, keyopts), [keyOf(holder())]);
      expect(opened.content).toEqual(plaintext);
      expect(opened.algorithm.contentCipher).toBe(cipher);
      expect(opened.algorithm.keyManagement.startsWith(keyManagement)).toBe(true);
      expect(opened.warnings).toEqual([]);
    });
  });

  it.each([
    ['RSA', () => rsa],
    ['ECDH P-256', () => p256],
  ])('decrypts legacy 3DES to %s with a weak-cipher warning', async (_name, holder) => {
    const opened = await decryptContent(opensslEncrypt(holder(), '-des3', []), [keyOf(holder())]);
    expect(opened.content).toEqual(plaintext);
    expect(opened.algorithm.contentCipher).toBe('des-ede3-cbc');
    expect(opened.warnings.map((warning) => warning.code)).toEqual(['WEAK_CIPHER']);
  });

  it.each([
    ['-aes256', 'aes-256-cbc'],
    ['-aes-256-gcm', 'aes-256-gcm'],
  ])('decrypts streamed indefinite-length BER (%s)', async (flag, cipher) => {
    const opened = await decryptContent(opensslEncrypt(p256, flag, [], true), [keyOf(p256)]);
    expect(opened.content).toEqual(plaintext);
    expect(opened.algorithm.contentCipher).toBe(cipher);
  });

  it('finds its key among several recipients and several keys', async () => {
    const name = `openssl-${++counter}`;
    const input = pki.writeFile(`${name}.txt`, plaintext);
    const output = `${pki.dir}/${name}.der`;
    pki.openssl([
      'cms',
      '-encrypt',
      '-binary',
      '-aes256',
      '-in',
      input,
      '-outform',
      'DER',
      '-out',
      output,
      rsa.certFile,
      p256.certFile,
    ]);
    const opened = await decryptContent(new Uint8Array(readFileSync(output)), [keyOf(p384), keyOf(p256)]);
    expect(opened.content).toEqual(plaintext);
    expect(opened.algorithm).toMatchObject({ recipientCount: 2, keyIndex: 1 });
  });
});

describe('Sealmail encrypts, OpenSSL decrypts', () => {
  const ciphers: ContentCipherName[] = ['aes-128-cbc', 'aes-256-cbc', 'aes-256-gcm'];
  const recipients: [string, () => IssuedCertificate, boolean][] = [
    ['RSA PKCS#1 v1.5', () => rsa, false],
    ['RSA-OAEP SHA-256', () => rsa, true],
    ['ECDH P-256', () => p256, false],
    ['ECDH P-384', () => p384, false],
  ];
  describe.each(ciphers)('%s', (cipher) => {
    it.each(recipients)('%s', async (_name, holder, supportsRsaOaep) => {
      const sealed = await encryptContent(plaintext, [{ certificate: holder().certDer, supportsRsaOaep }], {
        cipher,
      });
      expect(opensslDecrypt(sealed, holder())).toEqual(plaintext);
    });
  });

  it('writes one message that every RSA and EC recipient opens with OpenSSL', async () => {
    const sealed = await encryptContent(plaintext, [rsa.certDer, p256.certDer, p384.certDer]);
    for (const holder of [rsa, p256, p384]) expect(opensslDecrypt(sealed, holder)).toEqual(plaintext);
  });

  it('writes DER that OpenSSL parses back to the same structure', async () => {
    const sealed = await encryptContent(plaintext, [rsa.certDer, p256.certDer], { cipher: 'aes-256-gcm' });
    const input = pki.writeFile(`sealmail-${++counter}.der`, sealed);
    const printed = pki.openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', input]).toString();
    expect(printed).toContain('contentType: id-smime-ct-authEnvelopedData');
    expect(printed).toContain('dhSinglePass-stdDH-sha256kdf-scheme');
    // Re-encoding with OpenSSL gives the same bytes: our encoding is DER, not just BER.
    const reencoded = pki.openssl(['cms', '-cmsout', '-inform', 'DER', '-in', input, '-outform', 'DER']);
    expect(new Uint8Array(reencoded)).toEqual(sealed);
  });
});

describe('25 MB messages (seed 001 policy limit)', () => {
  const big = new Uint8Array(25 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 1009) big[i] = (i * 7) & 0xff;

  it('decrypts a 25 MB message that OpenSSL streamed as indefinite-length BER', async () => {
    const input = pki.writeFile('big.bin', big);
    const output = `${pki.dir}/big-openssl.der`;
    pki.openssl([
      'cms',
      '-encrypt',
      '-binary',
      '-stream',
      '-aes256',
      '-in',
      input,
      '-outform',
      'DER',
      '-out',
      output,
      '-recip',
      rsa.certFile,
    ]);
    const opened = await decryptContent(new Uint8Array(readFileSync(output)), [keyOf(rsa)]);
    expect(Buffer.compare(opened.content, big)).toBe(0);
  });

  it('writes a 25 MB AES-GCM message that OpenSSL decrypts', async () => {
    const sealed = await encryptContent(big, [p256.certDer], { cipher: 'aes-256-gcm' });
    expect(Buffer.compare(opensslDecrypt(sealed, p256), big)).toBe(0);
  });
});
