// The mail engine on a real Dovecot, Postfix and gnome-keyring (run under
// test/support/with-keyring.sh): delivery and IDLE, incremental sync by QRESYNC and by
// UIDVALIDITY/UIDNEXT, flags/move/delete, and what the cache keeps (no bodies, no passwords).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { startMailStack, type MailStack, type MailUser } from '../support/mailstack.js';
import { EventBus } from '../../electron/services/event-bus.js';
import { createMailServices, type MailServices } from '../../electron/services/mail-services.js';
import type { SealmailHome } from '../../electron/services/home.js';
import { HeaderCache } from '../../electron/services/cache/header-cache.js';
import { createImapClient } from '../../electron/services/imap/connection.js';
import { syncFolder } from '../../electron/services/sync/folder-sync.js';
import {
  accountFor,
  appendRaw,
  filesContaining,
  filesUnder,
  nextEvent,
  otherClient,
  sendThroughPostfix,
  tempHome,
} from './accounts-fixture.js';

let stack: MailStack;
let home: SealmailHome;
let events: EventBus;
let services: MailServices;
const ids: Partial<Record<MailUser, string>> = {};

function id(user: MailUser): string {
  const found = ids[user];
  if (!found) throw new Error(`no account for ${user}`);
  return found;
}

beforeAll(async () => {
  stack = await startMailStack();
  home = tempHome();
  events = new EventBus();
  services = createMailServices(home, events);
  for (const user of ['alice', 'bob', 'carol'] as const)
    ids[user] = (await services.accounts.add(accountFor(stack, user, 'sync'))).id;
});
afterAll(async () => {
  if (services) {
    for (const accountId of Object.values(ids)) await services.accounts.remove(accountId);
    await services.close();
  }
  await stack?.stop();
});

function message(n: number, extraHeaders = ''): string {
  return (
    `From: Carol <carol@example.test>\r\nTo: bob@example.test\r\nSubject: Message ${n}\r\n` +
    `Date: Mon, 2 Nov 2026 10:${String(n).padStart(2, '0')}:00 +0000\r\n` +
    `Message-ID: <m${n}-${Date.now()}@example.test>\r\n${extraHeaders}\r\nBody of message ${n}.\r\n`
  );
}

async function listed(user: MailUser, folder: string) {
  return (await services.messages.list({ accountId: id(user), folder, offset: 0, limit: 1000 })).items;
}

test('mail from alice to bob with an attachment goes through Postfix; IDLE reports it and sync finds it', async () => {
  // The first sync selects the INBOX; between operations the session then IDLEs on it.
  expect(await services.sync.folder(id('bob'), 'INBOX')).toEqual({ total: 0, added: 0, removed: 0 });
  const arrived = nextEvent(events, 'mail.new', (e) => e.accountId === id('bob') && e.folder === 'INBOX');

  await sendThroughPostfix(stack, 'alice', {
    to: stack.email('bob'),
    subject: 'Quarterly figures',
    text: 'The figures are attached.',
    attachments: [{ filename: 'figures.csv', content: 'quarter,amount\n1,100\n', contentType: 'text/csv' }],
  });
  expect(await arrived).toEqual({ accountId: id('bob'), folder: 'INBOX', count: 1 });

  expect(await services.sync.folder(id('bob'), 'INBOX')).toEqual({ total: 1, added: 1, removed: 0 });
  const [received] = await listed('bob', 'INBOX');
  expect(received).toMatchObject({
    from: 'alice@example.test',
    to: ['bob@example.test'],
    subject: 'Quarterly figures',
    flags: [],
    security: 'none',
    hasAttachments: true,
  });

  const raw = await services.messages.fetchRaw({ accountId: id('bob'), folder: 'INBOX', uid: received!.uid });
  expect(raw.byteLength).toBe(received!.size);
  const parsed = await PostalMime.parse(raw);
  expect(parsed.text?.trim()).toBe('The figures are attached.');
  expect(parsed.attachments.map((a) => a.filename)).toEqual(['figures.csv']);
  expect(new TextDecoder().decode(parsed.attachments[0]!.content as ArrayBuffer)).toBe(
    'quarter,amount\n1,100\n',
  );
});

// Both ways of catching up, on the same changes made by another mail program: QRESYNC (Dovecot
// offers it) and, forced by leaving CONDSTORE/QRESYNC un-ENABLEd, UIDVALIDITY/UIDNEXT.
for (const [method, useModseq] of [
  ['qresync', true],
  ['uidnext', false],
] as const) {
  test(`incremental sync by ${method} picks up new, changed, expunged mail and a new UIDVALIDITY`, async () => {
    const folder = `Sync-${method}`;
    const carol = { id: `carol-${method}`, ...accountFor(stack, 'carol', method) };
    const cache = new HeaderCache(join(home.root, `sync-${method}.sqlite`));
    const sync = async () => {
      const client = createImapClient(
        carol,
        stack.password('carol'),
        useModseq ? { qresync: true } : { disableAutoEnable: true },
      );
      await client.connect();
      try {
        return await syncFolder({ client, cache, events, accountId: carol.id }, folder);
      } finally {
        await client.logout();
      }
    };
    const state = () =>
      cache.page(carol.id, folder, 0, 100).items.map((m) => ({ subject: m.subject, flags: m.flags }));

    try {
      await otherClient(stack, 'carol', (c) => c.mailboxCreate(folder));
      const uids = await appendRaw(stack, 'carol', folder, [message(1), message(2), message(3)]);
      expect(await sync()).toEqual({ total: 3, added: 3, removed: 0, method });

      await otherClient(stack, 'carol', async (c) => {
        await c.mailboxOpen(folder);
        await c.messageFlagsAdd(String(uids[0]), ['\\Flagged'], { uid: true });
        await c.messageDelete(String(uids[1]), { uid: true });
      });
      await appendRaw(stack, 'carol', folder, [message(4)], ['\\Seen']);
      expect(await sync()).toEqual({ total: 3, added: 1, removed: 1, method });
      expect(state()).toEqual([
        { subject: 'Message 4', flags: ['\\Seen'] },
        { subject: 'Message 3', flags: [] },
        { subject: 'Message 1', flags: ['\\Flagged'] },
      ]);

      expect(await sync()).toEqual({ total: 3, added: 0, removed: 0, method });

      // RFC 3501 section 2.3.1.1: a re-created folder has a new UIDVALIDITY; the old UIDs mean nothing.
      await otherClient(stack, 'carol', async (c) => {
        await c.mailboxDelete(folder);
        await c.mailboxCreate(folder);
      });
      await appendRaw(stack, 'carol', folder, [message(5)]);
      expect(await sync()).toEqual({ total: 1, added: 1, removed: 0, method });
      expect(state()).toEqual([{ subject: 'Message 5', flags: [] }]);
    } finally {
      cache.close();
    }
  });
}

test('a sync cut off mid-FETCH keeps what arrived but records no UIDNEXT; the next sync completes the folder', async () => {
  const folder = 'Cut-off';
  const carol = { id: 'carol-cut', ...accountFor(stack, 'carol', 'cut') };
  const cache = new HeaderCache(join(home.root, 'sync-cut.sqlite'));
  const connect = async () => {
    const client = createImapClient(carol, stack.password('carol'), { qresync: true });
    await client.connect();
    return client;
  };
  try {
    await otherClient(stack, 'carol', (c) => c.mailboxCreate(folder));
    await appendRaw(
      stack,
      'carol',
      folder,
      Array.from({ length: 550 }, (_, n) => message(n % 60)),
    );

    // The connection really drops (the socket is closed) at the first progress event, which
    // comes after 500 rows, in the middle of the FETCH.
    const client = await connect();
    const cutting = new EventBus();
    cutting.on('sync.progress', () => client.close());
    await expect(
      syncFolder({ client, cache, events: cutting, accountId: carol.id }, folder),
    ).rejects.toThrow();
    expect(cache.folderState(carol.id, folder)).toBeNull();
    expect(cache.count(carol.id, folder)).toBeGreaterThanOrEqual(500);

    const again = await connect();
    try {
      expect(await syncFolder({ client: again, cache, events, accountId: carol.id }, folder)).toMatchObject({
        total: 550,
        added: 550,
        removed: 0,
      });
    } finally {
      await again.logout();
    }
    expect(cache.page(carol.id, folder, 0, 1).total).toBe(550);
    expect(cache.folderState(carol.id, folder)).not.toBeNull();
  } finally {
    cache.close();
  }
});

test('the services can be told to use the UIDVALIDITY/UIDNEXT sync and list the same', async () => {
  const fallbackHome = tempHome();
  const fallback = createMailServices(fallbackHome, new EventBus(), { useModseq: false, watchInbox: false });
  try {
    const carol = (await fallback.accounts.add(accountFor(stack, 'carol', 'fallback'))).id;
    await otherClient(stack, 'carol', (c) => c.mailboxCreate('Fallback'));
    const [first] = await appendRaw(stack, 'carol', 'Fallback', [message(6), message(7)]);
    expect(await fallback.sync.folder(carol, 'Fallback')).toEqual({ total: 2, added: 2, removed: 0 });
    await fallback.messages.setFlags({
      accountId: carol,
      folder: 'Fallback',
      uids: [first!],
      add: ['\\Seen'],
      remove: [],
    });
    await otherClient(stack, 'carol', async (c) => {
      await c.mailboxOpen('Fallback');
      await c.messageDelete(String(first), { uid: true });
    });
    expect(await fallback.sync.folder(carol, 'Fallback')).toEqual({ total: 1, added: 0, removed: 1 });
    const page = await fallback.messages.list({ accountId: carol, folder: 'Fallback', offset: 0, limit: 10 });
    expect(page.items.map((m) => m.subject)).toEqual(['Message 7']);
    await fallback.accounts.remove(carol);
  } finally {
    await fallback.close();
  }
});

test('flags, move and delete to Trash change the server and the list', async () => {
  const alice = id('alice');
  const [keep, junk, trash] = await appendRaw(stack, 'alice', 'INBOX', [
    message(11),
    message(12),
    message(13),
  ]);
  await services.sync.folder(alice, 'INBOX');

  await services.messages.setFlags({
    accountId: alice,
    folder: 'INBOX',
    uids: [keep!],
    add: ['\\Seen', '\\Flagged'],
    remove: [],
  });
  const flagsOf = async (uid: number) => (await listed('alice', 'INBOX')).find((m) => m.uid === uid)?.flags;
  expect((await flagsOf(keep!))?.sort()).toEqual(['\\Flagged', '\\Seen']);
  await services.messages.setFlags({
    accountId: alice,
    folder: 'INBOX',
    uids: [keep!],
    add: [],
    remove: ['\\Flagged'],
  });
  expect(await flagsOf(keep!)).toEqual(['\\Seen']);
  // Another mail program sees the change: it was made on the server, not only in the cache.
  const onServer = await otherClient(stack, 'alice', async (c) => {
    await c.mailboxOpen('INBOX');
    const found = await c.fetchOne(String(keep), { flags: true }, { uid: true });
    return found ? [...(found.flags ?? [])] : null;
  });
  expect(onServer).toEqual(['\\Seen']);

  await services.messages.move({ accountId: alice, folder: 'INBOX', uids: [junk!], destination: 'Junk' });
  await services.messages.delete({ accountId: alice, folder: 'INBOX', uids: [trash!] });
  expect(await services.sync.folder(alice, 'INBOX')).toMatchObject({ total: 1, added: 0 });
  expect((await listed('alice', 'INBOX')).map((m) => m.subject)).toEqual(['Message 11']);
  await services.sync.folder(alice, 'Junk');
  expect((await listed('alice', 'Junk')).map((m) => m.subject)).toEqual(['Message 12']);
  await services.sync.folder(alice, 'Trash');
  const inTrash = await listed('alice', 'Trash');
  expect(inTrash.map((m) => m.subject)).toEqual(['Message 13']);

  // Deleting in Trash removes for good.
  await services.messages.delete({ accountId: alice, folder: 'Trash', uids: [inTrash[0]!.uid] });
  expect(await listed('alice', 'Trash')).toEqual([]);
  const trashCount = await otherClient(stack, 'alice', async (c) => {
    const status = await c.status('Trash', { messages: true });
    return status ? status.messages : null;
  });
  expect(trashCount).toBe(0);
});

test('an encrypted message is listed as encrypted, and no body text reaches the cache', async () => {
  const marker = 'PLAIN-BODY-MARKER-never-cache-me';
  const ciphertextLine = Buffer.from(`opaque CMS bytes ${'x'.repeat(40)}`).toString('base64');
  const encrypted =
    'From: Carol <carol@example.test>\r\nTo: bob@example.test\r\nSubject: Sealed\r\n' +
    'Date: Mon, 2 Nov 2026 11:00:00 +0000\r\nMIME-Version: 1.0\r\n' +
    'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n' +
    'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7m\r\n\r\n' +
    `${ciphertextLine}\r\n`;
  await appendRaw(stack, 'bob', 'INBOX', [encrypted, message(21).replace('Body of message 21.', marker)]);
  await services.sync.folder(id('bob'), 'INBOX');
  const items = await listed('bob', 'INBOX');
  expect(items.find((m) => m.subject === 'Sealed')).toMatchObject({
    security: 'encrypted',
    hasAttachments: false,
  });
  expect(items.find((m) => m.subject === 'Message 21')).toMatchObject({ security: 'none' });

  const written = filesUnder(home.root).map((f) => f.path);
  expect(written).toContain(home.cacheFile);
  expect(filesContaining(home.root, marker)).toEqual([]);
  expect(filesContaining(home.root, ciphertextLine.slice(0, 24))).toEqual([]);
});

test('no account password appears in any file under the Sealmail home, the cache and its WAL included', async () => {
  const written = filesUnder(home.root).map((f) => f.path);
  expect(written).toEqual(expect.arrayContaining([home.configFile, home.cacheFile, `${home.cacheFile}-wal`]));
  for (const user of ['alice', 'bob', 'carol'] as const)
    expect(filesContaining(home.root, stack.password(user))).toEqual([]);
});
