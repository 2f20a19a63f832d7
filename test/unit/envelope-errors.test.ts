// What a user sees when an encrypted message cannot be opened: a coded error that says why
// (not one of my keys, damaged or altered, not S/MIME at all, an algorithm we lack), and never
// a hint about RSA padding that an attacker could use as an oracle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { decryptContent, encryptContent } from '../../core/smime/envelope/index.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let alice: IssuedCertificate;
let bob: IssuedCertificate;
let carol: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' });
  bob = pki.issueUser({
    email: 'bob@example.test',
    purpose: 'encryption',
    key: { type: 'ec', curve: 'P-256' },
  });
  carol = pki.issueUser({ email: 'carol@example.test', purpose: 'encryption' });
});
afterAll(() => pki?.cleanup());

const message = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nMeet at noon.\r\n');
const keyOf = (holder: IssuedCertificate) => ({ certificate: holder.certDer, privateKey: holder.keyDer });

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(SealmailError);
    return (error as SealmailError).code;
  }
  return 'no error';
}

function indexOfBytes(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('a message that is not for me', () => {
  it('says NO_MATCHING_KEY when no supplied key is a recipient', async () => {
    const sealed = await encryptContent(message, [alice.certDer]);
    expect(await codeOf(decryptContent(sealed, [keyOf(carol), keyOf(bob)]))).toBe('NO_MATCHING_KEY');
    expect(await codeOf(decryptContent(sealed, []))).toBe('NO_MATCHING_KEY');
  });

  it('says NO_MATCHING_KEY for EC recipients too', async () => {
    const sealed = await encryptContent(message, [bob.certDer], { cipher: 'aes-256-gcm' });
    expect(await codeOf(decryptContent(sealed, [keyOf(alice)]))).toBe('NO_MATCHING_KEY');
  });

  it('says DECRYPTION_FAILED when the key file pairs the certificate with another private key', async () => {
    const sealed = await encryptContent(message, [{ certificate: alice.certDer, supportsRsaOaep: true }]);
    const mismatched = { certificate: alice.certDer, privateKey: carol.keyDer };
    expect(await codeOf(decryptContent(sealed, [mismatched]))).toBe('DECRYPTION_FAILED');
  });
});

describe('a key file with a damaged entry', () => {
  it('still opens the message with the other keys', async () => {
    const sealed = await encryptContent(message, [alice.certDer]);
    const damaged = { certificate: new Uint8Array([1, 2, 3]), privateKey: alice.keyDer };
    expect((await decryptContent(sealed, [damaged, keyOf(alice)])).content).toEqual(message);
  });

  it('says MALFORMED_KEY when no key in the file can be read', async () => {
    const sealed = await encryptContent(message, [alice.certDer]);
    const damaged = { certificate: new Uint8Array([1, 2, 3]), privateKey: alice.keyDer };
    expect(await codeOf(decryptContent(sealed, [damaged]))).toBe('MALFORMED_KEY');
  });

  it('says MALFORMED_KEY when the private key is not a key', async () => {
    const sealed = await encryptContent(message, [alice.certDer]);
    const damaged = { certificate: alice.certDer, privateKey: new Uint8Array([0x30, 0x00]) };
    expect(await codeOf(decryptContent(sealed, [damaged]))).toBe('MALFORMED_KEY');
  });
});

describe('a damaged or altered message', () => {
  it('says DECRYPTION_FAILED when the AES-GCM tag was altered', async () => {
    const sealed = await encryptContent(message, [alice.certDer, bob.certDer], { cipher: 'aes-256-gcm' });
    sealed[sealed.length - 1]! ^= 0x01; // the mac OCTET STRING ends the AuthEnvelopedData
    expect(await codeOf(decryptContent(sealed, [keyOf(alice)]))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(decryptContent(sealed, [keyOf(bob)]))).toBe('DECRYPTION_FAILED');
  });

  it('says DECRYPTION_FAILED when AES-GCM ciphertext was altered', async () => {
    const sealed = await encryptContent(message, [bob.certDer], { cipher: 'aes-256-gcm' });
    sealed[sealed.length - 16 - 2 - 5]! ^= 0x80; // inside the encrypted content, before the mac
    expect(await codeOf(decryptContent(sealed, [keyOf(bob)]))).toBe('DECRYPTION_FAILED');
  });

  it('gives the same answer for bad RSA PKCS#1 padding as for a well-padded wrong key (no padding oracle)', async () => {
    const sealed = await encryptContent(message, [alice.certDer], { cipher: 'aes-256-gcm' });
    const at = indexOfBytes(sealed, [0x04, 0x82, 0x01, 0x00]) + 4; // the 256-byte encryptedKey
    expect(at).toBeGreaterThan(4);
    const withBadPadding = sealed.slice();
    withBadPadding[at + 100]! ^= 0x01; // garbles the whole RSA plaintext
    const outcomes: unknown[][] = [];
    for (const altered of [withBadPadding, withBadPadding]) {
      try {
        await decryptContent(altered, [keyOf(alice)]);
      } catch (error) {
        outcomes.push(error instanceof SealmailError ? [error.code, error.message] : [error]);
      }
    }
    // A genuine PKCS#1 block holding a different content key: valid padding, wrong key.
    const otherKey = await encryptContent(message, [alice.certDer], { cipher: 'aes-256-gcm' });
    const withOtherKey = sealed.slice();
    withOtherKey.set(otherKey.subarray(at, at + 256), at);
    try {
      await decryptContent(withOtherKey, [keyOf(alice)]);
    } catch (error) {
      outcomes.push(error instanceof SealmailError ? [error.code, error.message] : [error]);
    }
    expect(outcomes).toHaveLength(3);
    expect(outcomes[0]![0]).toBe('DECRYPTION_FAILED');
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).toEqual(outcomes[0]);
  });
});

describe('input that is not an encrypted S/MIME message', () => {
  it.each<[string, () => Uint8Array]>([
    ['empty input', () => new Uint8Array(0)],
    ['random bytes', () => Uint8Array.from({ length: 200 }, (_, i) => (i * 37 + 11) % 256)],
    ['plain text', () => new TextEncoder().encode('Hello, this is not CMS')],
    ['a certificate', () => alice.certDer],
  ])('says MALFORMED_CMS for %s', async (_name, input) => {
    expect(await codeOf(decryptContent(input(), [keyOf(alice)]))).toBe('MALFORMED_CMS');
  });

  it('says MALFORMED_CMS for a truncated message and for trailing bytes', async () => {
    const sealed = await encryptContent(message, [alice.certDer]);
    expect(await codeOf(decryptContent(sealed.subarray(0, sealed.length - 10), [keyOf(alice)]))).toBe(
      'MALFORMED_CMS',
    );
    const trailing = new Uint8Array(sealed.length + 3);
    trailing.set(sealed);
    expect(await codeOf(decryptContent(trailing, [keyOf(alice)]))).toBe('MALFORMED_CMS');
  });

  it('says MALFORMED_CMS for signed data handed to decryption', async () => {
    const sealed = await encryptContent(message, [alice.certDer]);
    const signed = sealed.slice();
    // id-envelopedData 1.2.840.113549.1.7.3 → id-signedData 1.2.840.113549.1.7.2
    const oid = indexOfBytes(signed, [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03]);
    signed[oid + 10] = 0x02;
    expect(await codeOf(decryptContent(signed, [keyOf(alice)]))).toBe('MALFORMED_CMS');
  });

  it('says UNSUPPORTED_ALGORITHM for a content cipher Sealmail does not know', async () => {
    const sealed = await encryptContent(message, [alice.certDer]);
    // aes256-CBC 2.16.840.1.101.3.4.1.42 → aes256-OFB .43
    const oid = indexOfBytes(sealed, [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a]);
    sealed[oid + 10] = 0x2b;
    expect(await codeOf(decryptContent(sealed, [keyOf(alice)]))).toBe('UNSUPPORTED_ALGORITHM');
  });

  it('says UNSUPPORTED_ALGORITHM for ECDH with a SHA-224 key derivation (WebCrypto has no SHA-224)', async () => {
    const sealed = await encryptContent(message, [bob.certDer]);
    // dhSinglePass-stdDH-sha256kdf-scheme 1.3.132.1.11.1 → sha224kdf 1.3.132.1.11.0 (RFC 5753 §7.1.4)
    const oid = indexOfBytes(sealed, [0x06, 0x06, 0x2b, 0x81, 0x04, 0x01, 0x0b, 0x01]);
    sealed[oid + 7] = 0x00;
    expect(await codeOf(decryptContent(sealed, [keyOf(bob)]))).toBe('UNSUPPORTED_ALGORITHM');
  });

  it.each([
    ['a GeneralizedTime that is not a time', [0x18, 0x02, 0x41, 0x42]],
    ['one inside a SEQUENCE', [0x30, 0x04, 0x18, 0x02, 0x41, 0x42]],
    ['a UTCTime that is not a time', [0x30, 0x04, 0x17, 0x02, 0x41, 0x42]],
  ])('says MALFORMED_CMS for %s (asn1js throws on it while parsing)', async (_name, bytes) => {
    expect(await codeOf(decryptContent(new Uint8Array(bytes), [keyOf(alice)]))).toBe('MALFORMED_CMS');
  });
});

describe('encrypting', () => {
  it('refuses to encrypt to nobody with ENCRYPTION_UNAVAILABLE', async () => {
    expect(await codeOf(encryptContent(message, []))).toBe('ENCRYPTION_UNAVAILABLE');
  });

  it('says MALFORMED_CERTIFICATE for a recipient certificate that is not one', async () => {
    expect(await codeOf(encryptContent(message, [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])]))).toBe(
      'MALFORMED_CERTIFICATE',
    );
  });
});
