// Puts a copy of a sent message into the account's Sent folder, exactly once. RFC 6409 §1 leaves
// the copy to the client (submission does not file it), so the outbox appends it over IMAP
// after the SMTP server accepted the message. The folder is the one marked \Sent (RFC 6154
// §2); the copy is flagged \Seen because the user wrote it.
import type { ImapFlow } from 'imapflow';
import { createImapClient } from './connection.js';
import type { StoredAccount } from '../accounts/stored-account.js';
import { SealmailError } from '../../../core/errors.js';

export interface SentFolder {
  /**
   * Appends `raw` to Sent unless a message with this Message-ID is already there (a copy made
   * before a crash, when we had not yet recorded it).
   */
  ensureCopy(
    account: StoredAccount,
    password: string,
    raw: Uint8Array,
    messageId: string,
  ): Promise<'appended' | 'already-there'>;
}

async function findSentPath(client: ImapFlow): Promise<string> {
  const folders = await client.list();
  const marked = folders.find((folder) => folder.specialUse === '\\Sent');
  if (marked) return marked.path;
  const named = folders.find((folder) => folder.path.toLowerCase() === 'sent');
  if (named) return named.path;
  await client.mailboxCreate('Sent');
  return 'Sent';
}

async function countByMessageId(client: ImapFlow, path: string, messageId: string): Promise<number> {
  const lock = await client.getMailboxLock(path);
  try {
    // RFC 3501 §6.4.4: HEADER matches a substring, so the brackets keep "<a@b>" from matching "<xa@b>".
    const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
    return uids ? uids.length : 0;
  } finally {
    lock.release();
  }
}

function describe(account: StoredAccount, error: unknown): SealmailError {
  if (error instanceof SealmailError) return error;
  const where = `${account.imap.host}:${account.imap.port}`;
  const details =
    typeof error === 'object' && error !== null
      ? (error as { authenticationFailed?: unknown; code?: unknown })
      : {};
  const text = error instanceof Error ? error.message : String(error);
  if (details.authenticationFailed === true)
    return new SealmailError('AUTH_FAILED', `authentication failed for ${account.username} on ${where}`, {
      cause: error,
    });
  if (typeof details.code === 'string' && /^E[A-Z_]+$/.test(details.code))
    return new SealmailError(
      'CONNECTION_FAILED',
      `cannot reach ${where} to copy the message to Sent: ${text}`,
      { cause: error },
    );
  return new SealmailError('SERVER_ERROR', `${where} did not take the copy for Sent: ${text}`, {
    cause: error,
  });
}

export const imapSentFolder: SentFolder = {
  async ensureCopy(account, password, raw, messageId) {
    const client = createImapClient(account, password);
    // imapflow reports socket trouble on 'error' as well as by rejecting; without a listener the
    // event would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      const path = await findSentPath(client);
      if ((await countByMessageId(client, path, messageId)) > 0) return 'already-there';
      await client.append(path, Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), ['\\Seen']);
      return 'appended';
    } catch (error) {
      throw describe(account, error);
    } finally {
      await client.logout().catch(() => client.close());
    }
  },
};
