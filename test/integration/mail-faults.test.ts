// What the user sees when things go wrong, on a real Dovecot and gnome-keyring (run under
// test/support/with-keyring.sh, after `npx tsc -b core electron` for the CLI): a wrong password,
// a server that cannot be reached (and is retried until it can), and a malformed message.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMailStack, type MailStack } from '../support/mailstack.js';
import { freePort } from '../support/ports.js';
import type { EventPayloads } from '../../core/api/types.js';
import { SealmailError } from '../../core/errors.js';
import { EventBus } from '../../electron/services/event-bus.js';
import { createMailServices, type MailServices } from '../../electron/services/mail-services.js';
import type { SealmailHome } from '../../electron/services/home.js';
import { malformedMessageProblems } from '../../electron/services/imap/malformed-message.js';
import { accountFor, appendRaw, nextEvent, sealmail, tempHome } from './accounts-fixture.js';

let stack: MailStack;
let home: SealmailHome;
let events: EventBus;
let services: MailServices;
const added: string[] = [];

beforeAll(async () => {
  stack = await startMailStack();
  home = tempHome();
  events = new EventBus();
  // A short backoff so that the retries of an unreachable server are seen in seconds.
  services = createMailServices(home, events, { backoff: { initialMs: 100, maxMs: 800 } });
});
afterAll(async () => {
  if (services) {
    for (const accountId of added) await services.accounts.remove(accountId);
    await services.close();
  }
  await stack?.stop();
});

async function addAccount(...args: Parameters<typeof accountFor>): Promise<string> {
  const accountId = (await services.accounts.add(accountFor(...args))).id;
  added.push(accountId);
  return accountId;
}

async function failureOf(promise: Promise<unknown>): Promise<SealmailError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SealmailError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

test('a wrong IMAP password says "authentication failed for alice@… on host:port" and is not retried', async () => {
  const account = { ...accountFor(stack, 'alice', 'faults-wrong'), password: 'not-alice-pass' };
  const accountId = (await services.accounts.add(account)).id;
  added.push(accountId);
  const offline = nextEvent(
    events,
    'connection.state',
    (e) => e.accountId === accountId && e.state !== 'connecting',
  );

  const failure = await failureOf(services.sync.folder(accountId, 'INBOX'));
  expect(failure.code).toBe('AUTH_FAILED');
  expect(failure.message).toContain(
    `authentication failed for alice@example.test on 127.0.0.1:${stack.ports.imap}`,
  );
  // A wrong password will not fix itself: the state says offline with the reason, no retry time.
  expect(await offline).toMatchObject({
    state: 'offline',
    retryAt: null,
    error: { code: 'AUTH_FAILED' },
  });
});

/** A plain TCP relay to Dovecot, standing in for a network path that comes back. */
function relayTo(port: number, listenOn: number): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = createConnection(port, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const end = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return new Promise((resolve) => server.listen(listenOn, '127.0.0.1', () => resolve(server)));
}

test('an unreachable server is reported and retried with backoff until it answers', async () => {
  const port = await freePort();
  const account = accountFor(stack, 'alice', 'faults-unreachable');
  const accountId = (await services.accounts.add({ ...account, imap: { ...account.imap, port } })).id;
  added.push(accountId);
  const states: EventPayloads['connection.state'][] = [];
  const stopWatching = events.on('connection.state', (e) => {
    if (e.accountId === accountId) states.push(e);
  });
  const retries = (n: number) =>
    new Promise<void>((resolve) => {
      const check = events.on('connection.state', () => {
        if (states.filter((s) => s.state === 'retrying').length >= n) {
          check();
          resolve();
        }
      });
    });
  const threeRetries = retries(3);

  const failure = await failureOf(services.connect(accountId));
  expect(failure.code).toBe('CONNECTION_FAILED');
  expect(failure.message).toMatch(
    new RegExp(
      `cannot connect to the IMAP server 127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\); check the host`,
    ),
  );
  await threeRetries;
  const retrying = states.filter((s) => s.state === 'retrying');
  for (const state of retrying) {
    expect(state.error?.code).toBe('CONNECTION_FAILED');
    expect(state.retryAt).not.toBeNull();
  }

  // The network comes back: the next retry connects without the user doing anything.
  const online = nextEvent(
    events,
    'connection.state',
    (e) => e.accountId === accountId && e.state === 'online',
  );
  const relay = await relayTo(stack.ports.imap, port);
  try {
    await online;
    expect(await services.sync.folder(accountId, 'INBOX')).toMatchObject({ removed: 0 });
  } finally {
    stopWatching();
    await services.accounts.remove(accountId);
    added.splice(added.indexOf(accountId), 1);
    await new Promise((resolve) => relay.close(resolve));
  }
});

test('a malformed message is listed, fetched raw with a warning, and the list keeps working', async () => {
  const accountId = await addAccount(stack, 'carol', 'faults-malformed');
  const headless = 'this is not a header at all\r\njust text that some broken program stored\r\n';
  const cutShort =
    'From: Mallory <mallory@example.test>\r\nSubject: Cut short\r\nDate: Mon, 2 Nov 2026 09:00:00 +0000\r\n' +
    'Content-Type: multipart/mixed; boundary="b1"\r\nthis line is not a header\r\n\r\n' +
    '--b1\r\nContent-Type: text/plain\r\n\r\nhalf a mess';
  const fine =
    'From: Bob <bob@example.test>\r\nTo: carol@example.test\r\nSubject: Still fine\r\n' +
    'Date: Mon, 2 Nov 2026 12:00:00 +0000\r\n\r\nHello.\r\n';
  const [headlessUid, cutShortUid] = await appendRaw(stack, 'carol', 'INBOX', [headless, cutShort]);
  await services.sync.folder(accountId, 'INBOX');
  await appendRaw(stack, 'carol', 'INBOX', [fine]);
  expect(await services.sync.folder(accountId, 'INBOX')).toEqual({ total: 3, added: 1, removed: 0 });

  const page = await services.messages.list({ accountId, folder: 'INBOX', offset: 0, limit: 10 });
  expect(page.items.map((m) => m.uid).sort()).toEqual(expect.arrayContaining([headlessUid, cutShortUid]));
  expect(page.items.find((m) => m.uid === headlessUid)).toMatchObject({ subject: '(unreadable headers)' });
  expect(page.items.find((m) => m.uid === cutShortUid)).toMatchObject({ subject: 'Cut short' });
  expect(page.items.find((m) => m.subject === 'Still fine')).toMatchObject({
    from: 'Bob <bob@example.test>',
  });

  for (const [uid, raw] of [
    [headlessUid!, headless],
    [cutShortUid!, cutShort],
  ] as const) {
    const fetched = await services.messages.fetchRaw({ accountId, folder: 'INBOX', uid });
    expect(Buffer.from(fetched).toString('latin1')).toBe(raw);
    expect(malformedMessageProblems(fetched)).not.toEqual([]);
  }

  // The CLI saves it exactly and says what is wrong on stderr (needs the built CLI).
  const out = join(home.root, 'cut-short.eml');
  const cli = await sealmail([
    '--home',
    home.root,
    'mail',
    'fetch',
    '--account',
    accountId,
    '--uid',
    String(cutShortUid),
    '--out',
    out,
  ]);
  expect(cli.code).toBe(0);
  expect(cli.stderr).toMatch(/warning: message \d+ is malformed: .*not a header field.*no closing boundary/);
  expect(readFileSync(out, 'latin1')).toBe(cutShort);
});

test('a folder that is not on the server is NOT_FOUND naming it, and the session stays usable', async () => {
  const accountId = await addAccount(stack, 'bob', 'faults-folder');
  const failure = await failureOf(services.sync.folder(accountId, 'No Such Folder'));
  expect(failure.code).toBe('NOT_FOUND');
  expect(failure.message).toContain('there is no folder "No Such Folder" on the server');
  expect(await services.sync.folder(accountId, 'INBOX')).toMatchObject({ removed: 0 });
});
