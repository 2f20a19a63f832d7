// The signing identity a key file holds: its signing key and certificate, the CA chain to carry
// (up to, not including, a self-signed root: the reader must already trust that) and the
// encryption certificate readers should answer to (RFC 8551 §2.5.3 SMIMEEncryptionKeyPreference).
// One builder for the CLI, the crypto worker and signed KM requests.
import type { SealmailError } from '../../errors.js';
import { encryptionKeysOf, signingKeyOf, type KeyFileContents } from '../../keyfile/key-file-contents.js';
import { readCertificateInfo } from '../../pki/certificate-info.js';
import { importSigningKey, type RsaSignatureScheme, type SigningIdentity } from './signing-identity.js';

/**
 * `noSigningKey` is the caller's error for a key file without a signing key: it names the way
 * out in the caller's terms (a CLI flag, the wizard, a recovery key).
 */
export async function signingIdentityOfKeyFile(
  contents: KeyFileContents,
  noSigningKey: () => SealmailError,
  rsaScheme: RsaSignatureScheme = 'pkcs1',
): Promise<SigningIdentity> {
  const key = signingKeyOf(contents);
  if (!key) throw noSigningKey();
  const certificate = readCertificateInfo(key.certificate, 'The signing certificate');
  const encryption = encryptionKeysOf(contents)[0];
  return {
    privateKey: await importSigningKey(key.privateKey, certificate, { rsaScheme }),
    certificate,
    chain: contents.caCertificates
      .map((der) => readCertificateInfo(der, 'A CA certificate in the key file'))
      .filter((info) => !info.selfIssued),
    encryptionCertificate: encryption
      ? readCertificateInfo(encryption.certificate, 'The encryption certificate')
      : undefined,
  };
}
