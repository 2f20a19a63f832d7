// The signer: a private key, its certificate, the CA chain to send along, and the encryption
// certificate that SMIMEEncryptionKeyPreference points at (users have separate signing and
// encryption keys, RFC 8551 §2.5.3). The key file (core/keyfile) supplies these; tests build
// them from openssl-made PKCS#8 keys.
import { SealmailError } from '../../errors.js';
import { oids } from '../../asn1/oids.js';
import { subtle } from '../../crypto/engine.js';
import type { CertificateInfo } from '../../pki/certificate-info.js';

export type SignatureHash = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** RSA keys sign with PKCS#1 v1.5 unless PSS is asked for; EC keys always use ECDSA. */
export type RsaSignatureScheme = 'pkcs1' | 'pss';

export interface SigningIdentity {
  privateKey: CryptoKey;
  certificate: CertificateInfo;
  /** Intermediate and root CA certificates to include with the signature. */
  chain: CertificateInfo[];
  encryptionCertificate?: CertificateInfo;
}

const curves: Record<string, string> = { [oids.secp256r1]: 'P-256', [oids.secp384r1]: 'P-384' };

/** The WebCrypto algorithm for signing with the key of `certificate`. */
export function signingAlgorithm(
  certificate: CertificateInfo,
  hash: SignatureHash,
  rsaScheme: RsaSignatureScheme,
): RsaHashedImportParams | EcKeyImportParams {
  const keyAlgorithm = certificate.certificate.subjectPublicKeyInfo.algorithm;
  // An id-RSASSA-PSS key may only make PSS signatures (RFC 4055 §1.2).
  if (keyAlgorithm.algorithmId === oids.rsassaPss) return { name: 'RSA-PSS', hash };
  if (keyAlgorithm.algorithmId === oids.rsaEncryption) {
    return { name: rsaScheme === 'pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash };
  }
  if (keyAlgorithm.algorithmId === oids.ecPublicKey) {
    const params = keyAlgorithm.algorithmParams as { valueBlock?: { toString(): string } } | undefined;
    const curve = curves[params?.valueBlock?.toString() ?? ''];
    if (curve) return { name: 'ECDSA', namedCurve: curve };
  }
  throw new SealmailError(
    'UNSUPPORTED_ALGORITHM',
    `The signing certificate "${certificate.subject}" has a key type Sealmail cannot sign with; use RSA or ECDSA P-256/P-384.`,
  );
}

/** Imports a PKCS#8 private key for signing with the key type of `certificate`. */
export async function importSigningKey(
  pkcs8: Uint8Array,
  certificate: CertificateInfo,
  options: { hash?: SignatureHash; rsaScheme?: RsaSignatureScheme } = {},
): Promise<CryptoKey> {
  const algorithm = signingAlgorithm(certificate, options.hash ?? 'SHA-256', options.rsaScheme ?? 'pkcs1');
  try {
    return await subtle().importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, algorithm, false, ['sign']);
  } catch (error) {
    throw new SealmailError('MALFORMED_KEY', `The signing key cannot be used: ${String(error)}`, {
      cause: error,
    });
  }
}
