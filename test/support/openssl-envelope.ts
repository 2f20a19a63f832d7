// `openssl cms -encrypt/-decrypt` as a Decryptor/Encryptor for core/smime/open.ts and seal.ts,
// so that layering (signed-inside-encrypted, triple wrapping, EFAIL) is tested against a real
// CMS implementation independently of Sealmail's own envelope code.
import type { Decryptor } from '../../core/smime/open.js';
import type { EncryptedEntity } from '../../core/smime/seal.js';
import type { IssuedCertificate, TestPki } from './openssl-pki.js';

export function opensslDecryptor(
  pki: TestPki,
  recipient: IssuedCertificate,
  calls: Uint8Array[] = [],
): Decryptor {
  return async (der) => {
    calls.push(der);
    const file = pki.writeFile(`env-${Math.random().toString(36).slice(2)}.der`, der);
    const out = pki.openssl([
      'cms',
      '-decrypt',
      '-binary',
      '-inform',
      'DER',
      '-in',
      file,
      '-recip',
      recipient.certFile,
      '-inkey',
      recipient.keyFile,
    ]);
    return { content: new Uint8Array(out), warnings: [] };
  };
}

export function opensslEncryptor(
  pki: TestPki,
  recipients: IssuedCertificate[],
  cipher = '-aes-256-cbc',
): (entity: Uint8Array) => Promise<EncryptedEntity & { der: Uint8Array }> {
  // Narrower than Encryptor (whose der may be pieces): tests read the one DER buffer.
  return async (entity) => {
    const file = pki.writeFile(`plain-${Math.random().toString(36).slice(2)}.mime`, entity);
    const der = pki.openssl([
      'cms',
      '-encrypt',
      '-binary',
      '-outform',
      'DER',
      '-in',
      file,
      cipher,
      ...recipients.map((r) => r.certFile),
    ]);
    return { der: new Uint8Array(der), smimeType: 'enveloped-data' };
  };
}
