// The account's folders with their RFC 6154 special use and STATUS counts (RFC 3501 6.3.10),
// fetched in one LIST ... RETURN (STATUS ...) where the server has LIST-STATUS (RFC 5819).
import type { ImapFlow, MailboxLockObject } from 'imapflow';
import { SealmailError } from '../../../core/errors.js';
import type { FolderSummary } from '../../../core/api/types.js';

export async function listFolders(client: ImapFlow): Promise<FolderSummary[]> {
  const folders = await client.list({ statusQuery: { messages: true, unseen: true } });
  return folders
    .filter((folder) => !folder.flags.has('\\Noselect') && !folder.flags.has('\\NonExistent'))
    .map((folder) => ({
      path: folder.path,
      name: folder.name,
      specialUse: folder.specialUse ?? null,
      delimiter: folder.delimiter,
      total: folder.status?.messages ?? 0,
      unseen: folder.status?.unseen ?? 0,
    }));
}

export async function trashFolder(client: ImapFlow): Promise<string | null> {
  const folders = await client.list();
  return folders.find((folder) => folder.specialUse === '\\Trash')?.path ?? null;
}

/**
 * Selects a folder for one operation. A folder that is not there is NOT_FOUND naming it, not the
 * server's bare "NO" (imapflow checks with LIST after a failed SELECT and marks the error).
 */
export async function lockFolder(client: ImapFlow, folder: string): Promise<MailboxLockObject> {
  try {
    return await client.getMailboxLock(folder);
  } catch (error) {
    if ((error as { mailboxMissing?: unknown }).mailboxMissing === true)
      throw new SealmailError(
        'NOT_FOUND',
        `there is no folder "${folder}" on the server; the folder list shows the folders there are`,
        { cause: error },
      );
    throw error;
  }
}
