// The outbox on disk (outbox-store.ts, outbox-record.ts) and the per-item lock (item-lock.ts):
// what a user notices is that a queued message is there after a restart, that a damaged item
// is named with the way out, and that two processes never deliver the same item at once.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SealmailError } from '../../core/errors.js';
import {
  newOutboxId,
  OutboxStore,
  sweepOutboxLeftovers,
} from '../../electron/services/outbox/outbox-store.js';
import {
  outboxRecordSchema,
  toOutboxItem,
  type OutboxRecord,
} from '../../electron/services/outbox/outbox-record.js';
import { lockItem } from '../../electron/services/outbox/item-lock.js';
import { createOutboxService } from '../../electron/services/outbox/outbox-service.js';
import { EventBus } from '../../electron/services/event-bus.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sealmail-outbox-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function record(overrides: Partial<OutboxRecord> = {}): OutboxRecord {
  const created = new Date('2026-03-01T10:00:00Z');
  return {
    version: 1,
    id: newOutboxId(created),
    accountId: 'alice',
    messageId: '<abc@example.test>',
    subject: 'Hello',
    envelope: { from: 'alice@example.test', to: ['bob@example.test'] },
    state: 'queued',
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    createdAt: created.toISOString(),
    sentAt: null,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<SealmailError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof SealmailError)) throw new Error(`expected a SealmailError, got ${String(error)}`);
  return error;
}

test('a queued item reads back whole, bytes and state, from a new store on the same directory', async () => {
  const item = record();
  const raw = new TextEncoder().encode('Message-ID: <abc@example.test>\r\nSubject: Hello\r\n\r\nHi\r\n');
  await new OutboxStore(dir).create(item, raw);
  const reopened = new OutboxStore(dir);
  expect(await reopened.ids()).toEqual([item.id]);
  expect(await reopened.read(item.id)).toEqual(item);
  expect(new TextDecoder().decode(await reopened.readRaw(item.id))).toContain('Subject: Hello');
  // Nothing but the item itself is left in the directory: no staging or temp files.
  expect(readdirSync(dir)).toEqual([item.id]);
  expect(readdirSync(join(dir, item.id)).sort()).toEqual(['message.eml', 'state.json']);
});

test('ids come oldest first, and dot-names (half-built or removed items) are never items', async () => {
  const store = new OutboxStore(dir);
  const later = record({ id: newOutboxId(new Date('2026-03-02T00:00:00Z')) });
  const earlier = record({ id: newOutboxId(new Date('2026-03-01T00:00:00Z')) });
  await store.create(later, new Uint8Array([1]));
  await store.create(earlier, new Uint8Array([1]));
  mkdirSync(join(dir, `.new-${newOutboxId(new Date())}`));
  expect(await store.ids()).toEqual([earlier.id, later.id]);
});

test('a damaged state.json is reported with the command that removes it', async () => {
  const store = new OutboxStore(dir);
  const item = record();
  await store.create(item, new Uint8Array([1]));
  writeFileSync(join(dir, item.id, 'state.json'), '{"version":1,');
  const damaged = await rejection(store.read(item.id));
  expect(damaged.code).toBe('STORAGE_FAILED');
  expect(damaged.message).toContain(`sealmail outbox remove ${item.id}`);

  writeFileSync(join(dir, item.id, 'state.json'), JSON.stringify({ ...item, state: 'lost' }));
  expect((await rejection(store.read(item.id))).code).toBe('STORAGE_FAILED');
});

test('an id that is not an outbox id is refused before it touches the file system', async () => {
  const error = await rejection(new OutboxStore(dir).read('../config'));
  expect(error.code).toBe('INVALID_REQUEST');
  expect(error.message).toContain('sealmail outbox list');
});

test('the record schema rejects unknown states and error codes', () => {
  expect(outboxRecordSchema.safeParse(record()).success).toBe(true);
  expect(outboxRecordSchema.safeParse({ ...record(), state: 'bounced' }).success).toBe(false);
  expect(
    outboxRecordSchema.safeParse({ ...record(), lastError: { code: 'OOPS', message: 'x' } }).success,
  ).toBe(false);
  expect(outboxRecordSchema.safeParse({ ...record(), envelope: { from: 'a@b', to: [] } }).success).toBe(
    false,
  );
});

test('the item a user sees shows the next try only while the item is waiting to retry', () => {
  const at = '2026-03-01T10:05:00Z';
  expect(toOutboxItem(record({ state: 'retrying', nextAttemptAt: at })).nextAttemptAt).toBe(at);
  expect(toOutboxItem(record({ state: 'failed', nextAttemptAt: at })).nextAttemptAt).toBeNull();
  expect(toOutboxItem(record()).recipients).toEqual(['bob@example.test']);
});

test('removal leaves nothing behind, and removing twice is harmless', async () => {
  const store = new OutboxStore(dir);
  const item = record();
  await store.create(item, new Uint8Array([1]));
  await store.remove(item.id);
  await store.remove(item.id);
  expect(await store.read(item.id)).toBeNull();
  expect(readdirSync(dir)).toEqual([]);
});

test('the sweep removes old half-built items and keeps young ones (another process may be queueing)', async () => {
  const store = new OutboxStore(dir);
  const now = new Date('2026-03-01T12:00:00Z');
  const old = `.new-${newOutboxId(new Date('2026-03-01T09:00:00Z'))}`;
  const young = `.new-${newOutboxId(new Date('2026-03-01T11:59:00Z'))}`;
  mkdirSync(join(dir, old));
  mkdirSync(join(dir, young));
  mkdirSync(join(dir, '.removed-x-1234'));
  await sweepOutboxLeftovers(store, now);
  expect(readdirSync(dir)).toEqual([young]);
});

test('only one holder of an item lock at a time; released, it can be taken again', async () => {
  const lockFile = join(dir, '.locks', 'item.lock');
  const first = await lockItem(lockFile);
  expect(first).not.toBeNull();
  expect(await lockItem(lockFile)).toBeNull();
  await first?.release();
  const again = await lockItem(lockFile);
  expect(again).not.toBeNull();
  await again?.release();
});

test('of many deliveries that try one item at once, exactly one gets it', async () => {
  const lockFile = join(dir, '.locks', 'item.lock');
  const locks = await Promise.all(Array.from({ length: 20 }, () => lockItem(lockFile)));
  expect(locks.filter((lock) => lock !== null)).toHaveLength(1);
  await Promise.all(locks.map((lock) => lock?.release()));
});

test('a lock held by another process is respected, and is free the moment that process is killed', async () => {
  const lockFile = join(dir, '.locks', 'item.lock');
  mkdirSync(join(dir, '.locks'));
  // Another Sealmail process, reduced to taking the same lock the same way and then hanging.
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(${JSON.stringify(lockFile)}, { timeout: 0 });
       db.exec('BEGIN EXCLUSIVE'); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  expect(await lockItem(lockFile)).toBeNull();
  const killed = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  holder.kill('SIGKILL');
  await killed;
  const lock = await lockItem(lockFile);
  expect(lock).not.toBeNull();
  await lock?.release();
});

test('the sweep deletes the locks of items that are gone and keeps the others', async () => {
  const store = new OutboxStore(dir);
  const kept = record();
  await store.create(kept, new Uint8Array([1]));
  const gone = newOutboxId(new Date());
  await (await lockItem(store.lockFile(kept.id)))?.release();
  await (await lockItem(store.lockFile(gone)))?.release();
  await sweepOutboxLeftovers(store, new Date());
  expect(readdirSync(store.lockDir)).toEqual([`${kept.id}.lock`]);
});

test('a damaged item is named by list() with the way out, and that way out works', async () => {
  const outbox = createOutboxService({
    outboxDir: dir,
    events: new EventBus(),
    getAccount: async () => {
      throw new Error('not needed');
    },
    getPassword: async () => 'not needed',
  });
  const item = record();
  await new OutboxStore(dir).create(item, new Uint8Array([1]));
  writeFileSync(join(dir, item.id, 'state.json'), 'garbage');
  const listed = await rejection(outbox.list());
  expect(listed.message).toContain(`sealmail outbox remove ${item.id}`);
  await outbox.remove(item.id);
  expect(await outbox.list()).toEqual([]);
  expect((await rejection(outbox.remove(item.id))).code).toBe('NOT_FOUND');
});
