// Everything a key-file password derives, computed once per unlock. Sealmail writes every
// encrypted part of a key file with the same PBKDF2 salt and count, so one 600,000-round
// derivation opens them all; a file from elsewhere with a salt per bag costs one per bag.
// (Reusing a salt inside one file is safe: salt exists to stop precomputation across files and
// users, RFC 8018 §4.1, and each part still has its own IV.)
import { subtle } from '../crypto/engine.js';
import { SealmailError } from '../errors.js';
import { maximumIterations } from './key-file-parameters.js';
import { pkcs12Kdf, type Pkcs12Hash } from './pkcs12-kdf.js';

export type Pbkdf2Hash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function checkIterations(iterations: number, what: string): void {
  if (iterations < 1 || iterations > maximumIterations) {
    throw new SealmailError(
      'MALFORMED_KEYFILE',
      `The key file asks for ${iterations} rounds of ${what}; Sealmail accepts 1 to ${maximumIterations}.`,
    );
  }
}

export class PasswordKeys {
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(readonly password: string) {}

  /** PBKDF2 (RFC 8018 §5.2) over the password's UTF-8 bytes, as OpenSSL 3 does for PBES2. */
  pbkdf2(hash: Pbkdf2Hash, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
    checkIterations(iterations, 'PBKDF2');
    const id = `pbkdf2|${hash}|${iterations}|${bytes}|${hex(salt)}`;
    let derived = this.cache.get(id);
    if (!derived) {
      derived = (async () => {
        const secret = await subtle().importKey(
          'raw',
          new TextEncoder().encode(this.password),
          'PBKDF2',
          false,
          ['deriveBits'],
        );
        const bits = await subtle().deriveBits(
          { name: 'PBKDF2', hash, salt: salt.slice(), iterations },
          secret,
          bytes * 8,
        );
        return new Uint8Array(bits);
      })();
      this.cache.set(id, derived);
    }
    return derived;
  }

  /** The PKCS#12 KDF (RFC 7292 B.2) over the password as a BMPString. */
  pkcs12(
    hash: Pkcs12Hash,
    purpose: number,
    salt: Uint8Array,
    iterations: number,
    bytes: number,
  ): Promise<Uint8Array> {
    checkIterations(iterations, 'the PKCS#12 key derivation');
    return pkcs12Kdf(hash, purpose, this.password, salt, iterations, bytes);
  }
}
