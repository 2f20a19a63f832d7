// serverkeygen (RFC 7030 §4.4) for a renewal (issue 6): the desktop asks for a NEW encryption key
// pair with a CMS SignedData signed by its signing key, whose content is
// core/enrollment/signed-serverkeygen.ts's "sealmail serverkeygen <mailbox>". signed-request.ts
// checks the signature, the signer and signingTime exactly as for the signed simplereenroll; the
// content must name this operation and the signer's own mailbox (so a signed renewal PKCS#10 is
// not taken for it), and renew-encryption-key.ts makes, archives and certifies the key, once per
// signing certificate (a replay is refused).
import { serverKeygenRequestContent } from '../../core/enrollment/signed-serverkeygen.js';
import { SealmailError } from '../../core/errors.js';
import type { ArchivedEncryptionKey } from '../enrollment/key-archive.js';
import { renewEncryptionKey } from '../enrollment/renew-encryption-key.js';
import type { KmServerContext } from './km-server-context.js';
import { sameBytes, verifySignedRequest } from './signed-request.js';

/** Checks the signed request, then issues a new encryption key; every archived key, newest first. */
export async function serverKeygenWithSignedRequest(
  km: KmServerContext,
  body: Uint8Array,
): Promise<ArchivedEncryptionKey[]> {
  const { content, signer } = await verifySignedRequest(km, body);
  if (!sameBytes(content, serverKeygenRequestContent(signer.email))) {
    throw new SealmailError(
      'SIGNER_MISMATCH',
      `the signed serverkeygen request must say "sealmail serverkeygen ${signer.email}", the signing certificate's mailbox.`,
    );
  }
  return renewEncryptionKey(km, km.dataDirectory, {
    email: signer.email,
    signerSerial: signer.serial,
    encryptionKeyType: km.encryptionKeyType,
  });
}
