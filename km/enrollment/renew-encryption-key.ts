// A new encryption key for a mailbox that renews (issue 6, seed 003: certificates last a year and
// the client renews before they end). The encryption key pair is the KM's to make and archive, as
// at enrollment (redeem-temporary-key.ts), so a renewal asks for a NEW pair of the KM's
// configured type, archived before its certificate is handed out. The earlier keys stay in the
// archive and their certificates stay valid until they end: old mail stays readable, and the
// directory serves the newest certificate for new mail. One new key per signing certificate:
// the signed request that asked for it cannot mint a second one (a replay inside the ±5 minute
// window of signed-request.ts), and the desktop signs it with the signing certificate it has
// just renewed, so each Renew gets exactly one.
import { SealmailError } from '../../core/errors.js';
import type { KmContext } from '../authority/km-clock.js';
import { unlockAsNode } from '../authority/unlocked-km.js';
import { issueMailCertificate } from '../ca/issuing-ca.js';
import { generateEncryptionKeyPair, type EncryptionKeyType } from '../ca/key-algorithms.js';
import { archivedEncryptionKeys, sealArchivedKey, type ArchivedEncryptionKey } from './key-archive.js';

/** The settings row that records which signing certificate already renewed the encryption key. */
const renewedBy = (signerSerial: string): string => `encryption-key-renewed-by:${signerSerial}`;

/**
 * Issues and archives a new encryption key for `email`, asked by the signing certificate
 * `signerSerial` (already verified by the caller); answers every archived key, newest first.
 */
export async function renewEncryptionKey(
  context: KmContext,
  dataDirectory: string,
  request: { email: string; signerSerial: string; encryptionKeyType: EncryptionKeyType },
): Promise<ArchivedEncryptionKey[]> {
  // Generated before the transaction: RSA-3072 generation is slow and must not hold the lock.
  const pair = await generateEncryptionKeyPair(request.encryptionKeyType);
  const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const { email, signerSerial } = request;
  return context.store.transaction(async (records) => {
    const now = context.now();
    const already = await records.setting(renewedBy(signerSerial));
    if (already !== undefined) {
      throw new SealmailError(
        'ALREADY_EXISTS',
        `this signing certificate already renewed the encryption key (at ${already}); renew again for a new one.`,
      );
    }
    if ((await records.mailbox(email))?.state !== 'Active') {
      throw new SealmailError('MAILBOX_STATE_CONFLICT', `${email} is not Active, so it cannot renew.`);
    }
    const km = await unlockAsNode(records, dataDirectory);
    const issued = await issueMailCertificate(km.ca, {
      email,
      kind: 'encryption',
      subjectPublicKeyInfo: spki,
      now,
    });
    await records.addCertificate({
      serial: issued.serial,
      email,
      kind: 'encryption',
      der: issued.der,
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
      revokedAt: null,
      revocationReason: null,
    });
    await records.archiveKey({
      serial: issued.serial,
      email,
      wrappedKey: sealArchivedKey(km.archiveKey, issued.serial, pkcs8),
      archivedAt: now.toISOString(),
    });
    await records.putSetting(renewedBy(signerSerial), now.toISOString());
    await records.appendAudit({
      at: now.toISOString(),
      actor: email,
      action: 'renew',
      subject: email,
      detail: `encryption key renewed as ${issued.serial} (asked by signing certificate ${signerSerial})`,
    });
    // Newest first, as serverkeygen answers, so a client reading only the first gets the new one.
    return (await archivedEncryptionKeys(records, km.archiveKey, email)).reverse();
  });
}
