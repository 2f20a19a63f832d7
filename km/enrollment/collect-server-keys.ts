// EST serverkeygen (RFC 7030 §4.4) after simpleenroll: the client that just redeemed its
// temporary key collects the encryption keys the KM generated and archived for it, once, within
// an hour, authenticated by the same mailbox and temporary key. The key pair was made and
// archived inside the redemption's transaction, so a client that never collects leaves nothing
// half-done: the administrator runs `recover` and the archive hands the keys out again.
import { SealmailError } from '../../core/errors.js';
import type { KmContext } from '../authority/km-clock.js';
import { unlockAsNode } from '../authority/unlocked-km.js';
import { temporaryKeyHash } from '../mailbox/issue-temporary-key.js';
import { mailboxAddress } from '../mailbox/mailbox-address.js';
import { archivedEncryptionKeys, type ArchivedEncryptionKey } from './key-archive.js';

export const collectionWindowMinutes = 60;

export async function collectServerKeys(
  context: KmContext,
  dataDirectory: string,
  credentials: { email: string; temporaryKey: string },
): Promise<ArchivedEncryptionKey[]> {
  const email = mailboxAddress(credentials.email);
  const hash = temporaryKeyHash(credentials.temporaryKey);
  return context.store.transaction(async (records) => {
    const now = context.now();
    const key = await records.temporaryKey(hash);
    if (!key || key.email !== email) {
      throw new SealmailError('AUTH_FAILED', `that temporary key is not valid for ${email}.`);
    }
    if (key.redeemedAt === null) {
      throw new SealmailError(
        'INVALID_REQUEST',
        'enroll the signing key first (EST simpleenroll), then ask serverkeygen.',
      );
    }
    const since = new Date(now.getTime() - collectionWindowMinutes * 60_000).toISOString();
    if (!(await records.collectServerKeys(hash, now.toISOString(), since))) {
      throw new SealmailError(
        'TEMPORARY_KEY_SPENT',
        'the encryption keys of this enrollment were already collected, or the hour to collect them has passed; ' +
          'ask your administrator to recover the mailbox.',
      );
    }
    const km = await unlockAsNode(records, dataDirectory);
    await records.appendAudit({
      at: now.toISOString(),
      actor: email,
      action: 'serverkeygen',
      subject: email,
      detail: 'archived encryption keys handed to the enrolling client',
    });
    // Newest first, so a stock EST client that reads only the first key gets the current one.
    return (await archivedEncryptionKeys(records, km.archiveKey, email)).reverse();
  });
}
