// Brings the header cache of one folder up to date with the server.
//   - UIDVALIDITY changed: the cached UIDs mean nothing any more; start over (RFC 3501 2.3.1.1).
//   - New mail: UIDs from the cached UIDNEXT on, fetched in UID ranges and streamed to the cache
//     writer thread in batches, one transaction each, so 50,000 messages never sit in memory at
//     once and inserting overlaps parsing. The new UIDNEXT is saved only after the writer has
//     committed every row below it.
//   - Changed flags: with CONDSTORE, only messages whose MODSEQ passed the cached HIGHESTMODSEQ
//     (UID FETCH ... (CHANGEDSINCE n), RFC 7162 3.1.4); without it, the flags of every message.
//   - Expunged mail: with QRESYNC the same FETCH adds VANISHED (EARLIER) (RFC 7162 3.2.6);
//     otherwise, or when the counts still disagree, UID SEARCH ALL is compared with the cache.
import type { ImapFlow, MailboxObject } from 'imapflow';
import type { EventBus } from '../event-bus.js';
import type { HeaderCache } from '../cache/header-cache.js';
import { lockFolder } from '../imap/folder-list.js';
import { cachedFlags, headerRow, summaryFetchQuery } from '../imap/message-summary.js';

/** How the known messages were brought up to date (RFC 7162 where the server offers it). */
export type SyncMethod = 'qresync' | 'condstore' | 'uidnext';

export interface SyncResult {
  total: number;
  added: number;
  removed: number;
  method: SyncMethod;
}

export interface SyncContext {
  client: ImapFlow;
  cache: HeaderCache;
  events: EventBus;
  accountId: string;
  /** UIDs per FETCH command. */
  batchSize?: number;
}

/**
 * UIDs per FETCH command. The rows stream through (nothing piles up in memory), so the ranges
 * only bound what one dropped connection costs; each range ends in a round trip during which the
 * client waits for the server's first response, so not too many of them.
 */
const defaultBatchSize = 10_000;
/**
 * Rows per cache transaction. A commit is cheap in WAL mode (no fsync with synchronous=NORMAL),
 * and the rows of a batch wait in the main thread's heap until it is sent: small batches leave
 * before the garbage collector has to copy them out of the young generation.
 */
const rowsPerWrite = 100;
/** Messages between two progress events. */
const progressEvery = 500;

function progress(events: EventBus, accountId: string, folder: string, done: number, expected: number): void {
  events.emit('sync.progress', { accountId, folder, done, total: Math.max(expected, done) });
}

async function fetchNewMessages(
  context: SyncContext,
  path: string,
  fromUid: number,
  toUid: number,
  expected: number,
): Promise<{ added: number; highestUid: number }> {
  const { client, cache, events, accountId } = context;
  const batchSize = context.batchSize ?? defaultBatchSize;
  let added = 0;
  let highestUid = 0;
  // Rows go to the cache writer thread as they arrive, in batches: nothing of the FETCH response
  // is kept, which spares the garbage collector, and inserting overlaps parsing the next
  // responses (the sync is CPU-bound on the client side).
  const writer = cache.writer(accountId, path, rowsPerWrite);
  try {
    for (let low = fromUid; low <= toUid; low += batchSize) {
      const high = Math.min(toUid, low + batchSize - 1);
      for await (const message of client.fetch(`${low}:${high}`, summaryFetchQuery, { uid: true })) {
        if (message.uid < low) continue;
        if (!writer.put(headerRow(message))) await writer.drained();
        if (message.uid > highestUid) highestUid = message.uid;
        if (++added % progressEvery === 0) progress(events, accountId, path, added, expected);
      }
    }
  } catch (error) {
    // What arrived is kept even so: the rows are whole, and the UIDNEXT that would skip them is
    // recorded only after a complete sync. The FETCH's error is the one to report.
    await writer.flush().catch(() => undefined);
    throw error;
  }
  await writer.flush();
  progress(events, accountId, path, added, expected);
  return { added, highestUid };
}

async function refreshKnownMessages(
  context: SyncContext,
  path: string,
  knownBelow: number,
  changedSince: bigint | undefined,
): Promise<number> {
  const { client, cache, accountId } = context;
  if (knownBelow <= 1) return 0;
  const vanished: number[] = [];
  const onExpunge = (event: { path: string; uid?: number; vanished: boolean }) => {
    if (event.path === path && event.vanished && event.uid !== undefined) vanished.push(event.uid);
  };
  client.on('expunge', onExpunge);
  try {
    let changes: { uid: number; flags: string[] }[] = [];
    const range = `1:${knownBelow - 1}`;
    const options = changedSince === undefined ? { uid: true } : { uid: true, changedSince };
    for await (const message of client.fetch(range, { uid: true, flags: true }, options)) {
      changes.push({ uid: message.uid, flags: cachedFlags(message.flags) });
      if (changes.length >= 5_000) {
        cache.setFlags(accountId, path, changes);
        changes = [];
      }
    }
    cache.setFlags(accountId, path, changes);
  } finally {
    client.off('expunge', onExpunge);
  }
  return cache.removeMessages(accountId, path, vanished);
}

async function removeExpunged(context: SyncContext, path: string): Promise<number> {
  const { client, cache, accountId } = context;
  const onServer = new Set((await client.search({ all: true }, { uid: true })) || []);
  const gone = cache.uids(accountId, path).filter((uid) => !onServer.has(uid));
  return cache.removeMessages(accountId, path, gone);
}

export async function syncFolder(context: SyncContext, path: string): Promise<SyncResult> {
  const { client, cache, accountId } = context;
  const alreadySelected = client.mailbox !== false && client.mailbox.path === path;
  const lock = await lockFolder(client, path);
  try {
    // UIDNEXT and HIGHESTMODSEQ are only reported by SELECT (RFC 3501 6.3.1, RFC 7162 3.1.2.1):
    // a mailbox left selected (IDLE on the INBOX) has stale ones, so select it again; unlike
    // CLOSE, a second SELECT expunges nothing.
    if (alreadySelected) await client.mailboxOpen(path);
    const mailbox = client.mailbox as MailboxObject;
    const uidValidity = mailbox.uidValidity.toString();
    const highestModseq = mailbox.noModseq ? undefined : mailbox.highestModseq;
    const condstore = client.enabled.has('CONDSTORE') && highestModseq !== undefined;
    const uidNextAtSelect = mailbox.uidNext;

    let state = cache.folderState(accountId, path);
    if (state && state.uidValidity !== uidValidity) {
      cache.resetFolder(accountId, path);
      state = null;
    }

    let removed = 0;
    const knownBelow = state?.uidNext ?? 1;
    if (state) {
      const changedSince = condstore && state.highestModseq ? BigInt(state.highestModseq) : undefined;
      if (changedSince === undefined || changedSince !== highestModseq)
        removed += await refreshKnownMessages(context, path, knownBelow, changedSince);
    }

    const { added, highestUid } =
      uidNextAtSelect > knownBelow
        ? await fetchNewMessages(context, path, knownBelow, uidNextAtSelect - 1, mailbox.exists)
        : { added: 0, highestUid: 0 };

    // Without QRESYNC, or if VANISHED missed something, the counts tell: reconcile by UID.
    if (cache.count(accountId, path) !== (client.mailbox ? client.mailbox.exists : mailbox.exists))
      removed += await removeExpunged(context, path);

    cache.saveFolderState(accountId, path, {
      uidValidity,
      uidNext: Math.max(uidNextAtSelect, highestUid + 1),
      highestModseq: condstore && highestModseq !== undefined ? highestModseq.toString() : null,
    });
    const method: SyncMethod = !condstore
      ? 'uidnext'
      : client.enabled.has('QRESYNC')
        ? 'qresync'
        : 'condstore';
    return { total: cache.count(accountId, path), added, removed, method };
  } finally {
    lock.release();
  }
}
