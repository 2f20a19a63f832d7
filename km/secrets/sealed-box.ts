// Authenticated encryption of the KM's secrets at rest: AES-256-GCM with a fresh 96-bit nonce,
// and HKDF-SHA256 (RFC 5869) to derive one key per purpose from the KM secret, so the CA key,
// the archive of encryption keys and the node file never share a key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SealmailError } from '../../core/errors.js';

export type KeyPurpose = 'ca-private-key' | 'key-archive' | 'node-unlock' | 'admin-check';

export function derivedKey(kmSecret: Uint8Array, purpose: KeyPurpose): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', kmSecret, new Uint8Array(0), `sealmail km ${purpose}`, 32));
}

/** base64 of nonce ‖ ciphertext ‖ tag; `label` is bound as associated data. */
export function seal(key: Uint8Array, plaintext: Uint8Array, label: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(label));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

/** The plaintext, or undefined when the key is wrong or the box was altered. */
export function tryOpen(key: Uint8Array, box: string, label: string): Uint8Array | undefined {
  const bytes = Buffer.from(box, 'base64');
  if (bytes.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(label));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return new Uint8Array(
      Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]),
    );
  } catch {
    return undefined;
  }
}

export function open(key: Uint8Array, box: string, label: string): Uint8Array {
  const plaintext = tryOpen(key, box, label);
  if (!plaintext) {
    throw new SealmailError(
      'INTERNAL',
      `The KM's ${label} does not decrypt: the data or its key was altered.`,
    );
  }
  return plaintext;
}
