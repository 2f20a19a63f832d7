// The header cache on a real SQLite file: newest first, incremental-sync state, and reopening.
import { expect, test } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageSummary } from '../../core/api/types.js';
import Database from 'better-sqlite3';
import { HeaderCache } from '../../electron/services/cache/header-cache.js';
import { rowFromSummary } from '../../electron/services/cache/header-row.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'sealmail-cache-')), 'cache.sqlite');

function summary(uid: number, date: string, extra: Partial<MessageSummary> = {}): MessageSummary {
  return {
    uid,
    from: `Sender ${uid} <s${uid}@example.test>`,
    to: ['bob@example.test'],
    subject: `Message ${uid}`,
    date,
    flags: [],
    size: 100 + uid,
    security: 'none',
    hasAttachments: false,
    ...extra,
  };
}

test('pages come newest first and survive closing and reopening the cache', () => {
  const path = file();
  const cache = new HeaderCache(path);
  cache.putMessages('bob', 'INBOX', [
    summary(1, '2026-11-01T10:00:00.000Z'),
    summary(2, '2026-11-03T10:00:00.000Z', { flags: ['\\Seen'], security: 'encrypted' }),
    summary(3, '2026-11-02T10:00:00.000Z', {
      hasAttachments: true,
      to: ['a@example.test', 'b@example.test'],
    }),
  ]);
  cache.putMessages('bob', 'Sent', [summary(9, '2026-11-05T10:00:00.000Z')]);
  cache.close();

  const reopened = new HeaderCache(path);
  const page = reopened.page('bob', 'INBOX', 0, 2);
  expect(page.total).toBe(3);
  expect(page.items.map((m) => m.uid)).toEqual([2, 3]);
  expect(page.items[0]).toEqual(
    summary(2, '2026-11-03T10:00:00.000Z', { flags: ['\\Seen'], security: 'encrypted' }),
  );
  expect(page.items[1]!.to).toEqual(['a@example.test', 'b@example.test']);
  expect(reopened.page('bob', 'INBOX', 2, 2).items.map((m) => m.uid)).toEqual([1]);
  reopened.close();
});

test('flags change in place, expunged messages go, and counts follow', () => {
  const cache = new HeaderCache(file());
  cache.putMessages(
    'bob',
    'INBOX',
    [1, 2, 3].map((uid) => summary(uid, '2026-11-01T10:00:00.000Z')),
  );
  cache.setFlags('bob', 'INBOX', [{ uid: 2, flags: ['\\Flagged'] }]);
  expect(cache.removeMessages('bob', 'INBOX', [3, 99])).toBe(1);
  expect(cache.uids('bob', 'INBOX').sort()).toEqual([1, 2]);
  expect(cache.count('bob', 'INBOX')).toBe(2);
  expect(cache.page('bob', 'INBOX', 0, 10).items.find((m) => m.uid === 2)?.flags).toEqual(['\\Flagged']);
  cache.close();
});

test('the sync state round-trips, and a reset folder starts empty (RFC 3501 2.3.1.1)', () => {
  const cache = new HeaderCache(file());
  expect(cache.folderState('bob', 'INBOX')).toBeNull();
  cache.saveFolderState('bob', 'INBOX', {
    uidValidity: '1700000000',
    uidNext: 51,
    highestModseq: '18446744073709551000',
  });
  expect(cache.folderState('bob', 'INBOX')).toEqual({
    uidValidity: '1700000000',
    uidNext: 51,
    highestModseq: '18446744073709551000',
  });
  cache.putMessages('bob', 'INBOX', [summary(50, '2026-11-01T10:00:00.000Z')]);
  cache.resetFolder('bob', 'INBOX');
  expect(cache.folderState('bob', 'INBOX')).toBeNull();
  expect(cache.count('bob', 'INBOX')).toBe(0);
  cache.close();
});

test('removing an account forgets its folders and messages, and only its own', () => {
  const cache = new HeaderCache(file());
  cache.putMessages('bob', 'INBOX', [summary(1, '2026-11-01T10:00:00.000Z')]);
  cache.putMessages('carol', 'INBOX', [summary(1, '2026-11-01T10:00:00.000Z')]);
  cache.saveFolderState('bob', 'INBOX', { uidValidity: '1', uidNext: 2, highestModseq: null });
  cache.forgetAccount('bob');
  expect(cache.count('bob', 'INBOX')).toBe(0);
  expect(cache.folderState('bob', 'INBOX')).toBeNull();
  expect(cache.count('carol', 'INBOX')).toBe(1);
  cache.close();
});

test('a sync writer streams rows to the writer thread in batches; after flush every row is there, also for two folders at once', async () => {
  const path = file();
  const cache = new HeaderCache(path);
  const inbox = cache.writer('bob', 'INBOX', 2);
  const sent = cache.writer('bob', 'Sent', 2);
  inbox.put(rowFromSummary(summary(1, '2026-11-01T10:00:00.000Z')));
  sent.put(rowFromSummary(summary(7, '2026-11-01T10:00:00.000Z')));
  inbox.put(rowFromSummary(summary(2, '2026-11-02T10:00:00.000Z', { flags: ['\\Seen'] })));
  inbox.put(rowFromSummary(summary(3, '2026-11-03T10:00:00.000Z', { hasAttachments: true })));
  await Promise.all([inbox.flush(), sent.flush()]);

  // Read on the main thread's own connection, right after the flush: nothing is missing.
  expect(cache.page('bob', 'INBOX', 0, 10).items).toEqual([
    summary(3, '2026-11-03T10:00:00.000Z', { hasAttachments: true }),
    summary(2, '2026-11-02T10:00:00.000Z', { flags: ['\\Seen'] }),
    summary(1, '2026-11-01T10:00:00.000Z'),
  ]);
  cache.close();
  // The writer thread closed its connection first, so closing the cache checkpointed the WAL
  // into the database there and then: the next start reads one file and does not wait on a
  // checkpoint running behind it.
  expect(existsSync(`${path}-wal`)).toBe(false);

  // What another process sees after the cache is closed: every row, committed.
  const reopened = new HeaderCache(path);
  expect(reopened.page('bob', 'INBOX', 0, 10).items.map((m) => m.uid)).toEqual([3, 2, 1]);
  expect(reopened.uids('bob', 'Sent')).toEqual([7]);
  reopened.close();
});

test('a sync that outruns the writer thread is asked to wait, and loses no row', async () => {
  const cache = new HeaderCache(file());
  const writer = cache.writer('bob', 'INBOX', 100);
  let waits = 0;
  for (let uid = 1; uid <= 12_000; uid++) {
    if (!writer.put(rowFromSummary(summary(uid, '2026-11-01T10:00:00.000Z')))) {
      waits++;
      await writer.drained();
    }
  }
  await writer.flush();
  expect(waits).toBeGreaterThan(0);
  expect(cache.count('bob', 'INBOX')).toBe(12_000);
  cache.close();
});

test('a batch the writer thread cannot write fails the flush with STORAGE_FAILED', async () => {
  const path = file();
  const cache = new HeaderCache(path);
  // A real fault: another program changed the file under the cache (here, dropped its messages).
  const other = new Database(path);
  other.exec('DROP TABLE messages');
  other.close();
  const writer = cache.writer('bob', 'INBOX', 1);
  writer.put(rowFromSummary(summary(1, '2026-11-01T10:00:00.000Z')));
  await expect(writer.flush()).rejects.toMatchObject({
    code: 'STORAGE_FAILED',
    message: expect.stringMatching(/may be deleted/),
  });
  cache.close();
});

test('a damaged cache file is a STORAGE_FAILED that names the file and says it may be deleted', () => {
  const path = file();
  writeFileSync(
    path,
    'this is not a database, just text that is long enough to look like a header '.repeat(10),
  );
  expect(() => new HeaderCache(path)).toThrow(
    expect.objectContaining({
      code: 'STORAGE_FAILED',
      message: expect.stringMatching(new RegExp(`${path.replaceAll('.', '\\.')}.*may be deleted`)),
    }),
  );
});
