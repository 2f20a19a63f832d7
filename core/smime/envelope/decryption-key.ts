// A decryption key from the key file: its certificate (to find the RecipientInfo addressed to
// it, RFC 5652 §6.2) and its private key, as a WebCrypto CryptoKey or PKCS#8 bytes. Each
// key-management algorithm needs the key in a different form; this turns one into the other
// once and remembers the result.
import { SealmailError } from '../../errors.js';
import { subtle } from '../../crypto/engine.js';
import {
  readRecipientCertificate,
  type NamedCurve,
  type RecipientCertificate,
} from './recipient-certificate.js';
import { readRsaPrivateKey, type RsaPrivateKey } from './raw-rsa.js';
import { webBytes } from './der.js';

export interface DecryptionKey {
  /** DER X.509 certificate of this key. */
  certificate: Uint8Array;
  /** The private key: PKCS#8 DER, or a CryptoKey (extractable, unless only RSA-OAEP/ECDH is needed). */
  privateKey: CryptoKey | Uint8Array;
}

export type OaepHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

function unusable(detail: string, cause?: unknown): SealmailError {
  return new SealmailError(
    'MALFORMED_KEY',
    `A decryption key from the key file cannot be used: ${detail}. Import the key file again.`,
    { cause },
  );
}

/** One supplied key, parsed lazily: most messages need only one of its forms. */
export class KeyInHand {
  readonly certificate: RecipientCertificate;
  private pkcs8?: Promise<Uint8Array>;
  private rsa?: Promise<RsaPrivateKey>;

  constructor(
    readonly index: number,
    private readonly supplied: DecryptionKey,
  ) {
    try {
      this.certificate = readRecipientCertificate(supplied.certificate);
    } catch (error) {
      if (error instanceof SealmailError) throw unusable('its certificate cannot be read', error);
      throw error;
    }
  }

  private pkcs8Bytes(): Promise<Uint8Array> {
    this.pkcs8 ??= (async () => {
      const key = this.supplied.privateKey;
      if (key instanceof Uint8Array) return key;
      if (!key.extractable) throw unusable('it is not extractable, and this message needs its raw form');
      return new Uint8Array(await subtle().exportKey('pkcs8', key));
    })();
    return this.pkcs8;
  }

  /** The BigInt form, for PKCS#1 v1.5 key transport (see rsa-pkcs1.ts). */
  rawRsa(): Promise<RsaPrivateKey> {
    this.rsa ??= this.pkcs8Bytes().then(readRsaPrivateKey);
    return this.rsa;
  }

  async rsaOaep(hash: OaepHash): Promise<CryptoKey> {
    const key = this.supplied.privateKey;
    if (
      !(key instanceof Uint8Array) &&
      key.algorithm.name === 'RSA-OAEP' &&
      (key.algorithm as { hash?: { name?: string } }).hash?.name === hash &&
      key.usages.includes('decrypt')
    ) {
      return key;
    }
    return this.importAs({ name: 'RSA-OAEP', hash }, ['decrypt']);
  }

  async ecdh(curve: NamedCurve): Promise<CryptoKey> {
    const key = this.supplied.privateKey;
    if (!(key instanceof Uint8Array) && key.algorithm.name === 'ECDH' && key.usages.includes('deriveBits')) {
      return key;
    }
    return this.importAs({ name: 'ECDH', namedCurve: curve }, ['deriveBits']);
  }

  private async importAs(
    algorithm: RsaHashedImportParams | EcKeyImportParams,
    usages: KeyUsage[],
  ): Promise<CryptoKey> {
    const pkcs8 = await this.pkcs8Bytes();
    try {
      return await subtle().importKey('pkcs8', webBytes(pkcs8), algorithm, false, usages);
    } catch (error) {
      throw unusable(`it is not a ${algorithm.name} key that matches its certificate`, error);
    }
  }
}
