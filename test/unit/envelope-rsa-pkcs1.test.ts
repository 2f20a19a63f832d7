// RSAES-PKCS1-v1_5 key transport by raw RSA, with implicit rejection: a bad ciphertext yields a
// substitute key that is deterministic (the same ciphertext always gives the same key, as a real
// one would) and unrelated to the real key, never an error that an attacker could time or see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readRsaPrivateKey,
  readRsaPublicKey,
  rsaPrivate,
  type RsaPrivateKey,
  type RsaPublicKey,
} from '../../core/smime/envelope/raw-rsa.js';
import { pkcs1DecryptContentKey, pkcs1Encrypt } from '../../core/smime/envelope/rsa-pkcs1.js';
import { readRecipientCertificate } from '../../core/smime/envelope/recipient-certificate.js';
import { createTestPki, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let privateKey: RsaPrivateKey;
let publicKey: RsaPublicKey;

beforeAll(() => {
  pki = createTestPki();
  const holder = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  privateKey = readRsaPrivateKey(holder.keyDer);
  publicKey = readRsaPublicKey(readRecipientCertificate(holder.certDer).subjectPublicKeyInfo);
});
afterAll(() => pki?.cleanup());

const contentKey = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

describe('raw RSA PKCS#1 v1.5 key transport', () => {
  it('recovers the content key that was encrypted', async () => {
    const ciphertext = pkcs1Encrypt(publicKey, contentKey);
    expect(ciphertext).toHaveLength(256);
    expect(await pkcs1DecryptContentKey(privateKey, ciphertext, 32)).toEqual(contentKey);
  });

  it('decrypts what OpenSSL encrypted with PKCS#1 v1.5 padding', async () => {
    const keyFile = pki.writeFile('cek.bin', contentKey);
    const holder = pki.issueUser({ email: 'bob@example.test', purpose: 'encryption' });
    const ciphertext = pki.openssl([
      'pkeyutl',
      '-encrypt',
      '-certin',
      '-inkey',
      holder.certFile,
      '-in',
      keyFile,
      '-pkeyopt',
      'rsa_padding_mode:pkcs1',
    ]);
    expect(
      await pkcs1DecryptContentKey(readRsaPrivateKey(holder.keyDer), new Uint8Array(ciphertext), 32),
    ).toEqual(contentKey);
  });

  it('returns a deterministic substitute, not an error, when the padding is wrong', async () => {
    const ciphertext = pkcs1Encrypt(publicKey, contentKey);
    ciphertext[200]! ^= 0x01;
    const first = await pkcs1DecryptContentKey(privateKey, ciphertext, 32);
    const second = await pkcs1DecryptContentKey(privateKey, ciphertext, 32);
    expect(first).toHaveLength(32);
    expect(second).toEqual(first);
    expect(first).not.toEqual(contentKey);
    ciphertext[201]! ^= 0x01;
    expect(await pkcs1DecryptContentKey(privateKey, ciphertext, 32)).not.toEqual(first);
  });

  it('substitutes when a well-padded key has the wrong length for the content cipher (RFC 3218 §2.3)', async () => {
    const ciphertext = pkcs1Encrypt(publicKey, contentKey.subarray(0, 16));
    const recovered = await pkcs1DecryptContentKey(privateKey, ciphertext, 32);
    expect(recovered).toHaveLength(32);
    expect(recovered.subarray(16)).not.toEqual(contentKey.subarray(0, 16));
    expect(await pkcs1DecryptContentKey(privateKey, ciphertext, 16)).toEqual(contentKey.subarray(0, 16));
  });

  it('substitutes for ciphertexts of the wrong length or not below the modulus', async () => {
    const short = new Uint8Array(255).fill(7);
    const large = new Uint8Array(256).fill(0xff);
    for (const ciphertext of [short, large]) {
      const recovered = await pkcs1DecryptContentKey(privateKey, ciphertext, 32);
      expect(recovered).toHaveLength(32);
      expect(await pkcs1DecryptContentKey(privateKey, ciphertext, 32)).toEqual(recovered);
    }
  });

  it('computes RSADP correctly with CRT and blinding', () => {
    const ciphertext = pkcs1Encrypt(publicKey, contentKey);
    const em = rsaPrivate(privateKey, ciphertext);
    expect(em[0]).toBe(0);
    expect(em[1]).toBe(2);
    expect(em.subarray(224)).toEqual(contentKey);
    expect(em.subarray(2, 223).every((byte) => byte !== 0)).toBe(true);
    expect(em[223]).toBe(0);
  });
});
