// What the user does to messages on the server: read the raw bytes, flag, move, delete.
// Each runs on the account session's connection with the folder selected.
import type { ImapFlow } from 'imapflow';
import { SealmailError } from '../../../core/errors.js';
import { lockFolder, trashFolder } from './folder-list.js';
import { cachedFlags } from './message-summary.js';

async function inFolder<T>(client: ImapFlow, folder: string, action: () => Promise<T>): Promise<T> {
  const lock = await lockFolder(client, folder);
  try {
    return await action();
  } finally {
    lock.release();
  }
}

/** The message exactly as the server stores it, whatever its bytes (even malformed MIME). */
export function fetchRawMessage(client: ImapFlow, folder: string, uid: number): Promise<Uint8Array> {
  return inFolder(client, folder, async () => {
    const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!message || !message.source)
      throw new SealmailError(
        'NOT_FOUND',
        `there is no message with UID ${uid} in ${folder}; sync the folder and try again`,
      );
    return new Uint8Array(message.source.buffer, message.source.byteOffset, message.source.byteLength);
  });
}

/** Returns the flags of each message after the change, for the cache. */
export function changeFlags(
  client: ImapFlow,
  folder: string,
  uids: number[],
  add: string[],
  remove: string[],
): Promise<{ uid: number; flags: string[] }[]> {
  return inFolder(client, folder, async () => {
    const range = uids.join(',');
    if (add.length > 0) await client.messageFlagsAdd(range, add, { uid: true });
    if (remove.length > 0) await client.messageFlagsRemove(range, remove, { uid: true });
    const after: { uid: number; flags: string[] }[] = [];
    for await (const message of client.fetch(range, { uid: true, flags: true }, { uid: true }))
      after.push({ uid: message.uid, flags: cachedFlags(message.flags) });
    return after;
  });
}

export function moveMessages(
  client: ImapFlow,
  folder: string,
  uids: number[],
  destination: string,
): Promise<void> {
  return inFolder(client, folder, async () => {
    // RFC 6851 MOVE where offered; imapflow falls back to COPY + \Deleted + EXPUNGE.
    const result = await client.messageMove(uids.join(','), destination, { uid: true });
    if (!result)
      throw new SealmailError(
        'SERVER_ERROR',
        `the server refused to move the messages from ${folder} to ${destination}`,
      );
  });
}

/** Moves to the \Trash folder (RFC 6154); deleting inside Trash removes for good (EXPUNGE). */
export async function deleteMessages(client: ImapFlow, folder: string, uids: number[]): Promise<void> {
  const trash = await trashFolder(client);
  if (trash === null)
    throw new SealmailError(
      'NOT_FOUND',
      'this server announces no Trash folder (special use \\Trash), so there is nowhere to delete to; move the messages instead',
    );
  if (trash !== folder) return moveMessages(client, folder, uids, trash);
  await inFolder(client, folder, async () => {
    await client.messageDelete(uids.join(','), { uid: true });
  });
}
