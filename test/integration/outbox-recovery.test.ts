// The outbox across crashes and outages (issue 2: no message lost or sent twice), against a real
// Dovecot, Postfix and gnome-keyring. The CLI runs as a child process that the test kills with
// SIGKILL in the middle of a delivery; a stalling TCP relay in front of the real server holds the
// process at a known step (a real network fault, not a mock). Run under
// test/support/with-keyring.sh, after `npx tsc -b core electron`.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboxItem } from '../../core/api/types.js';
import { EventBus } from '../../electron/services/event-bus.js';
import { createKeychain } from '../../electron/services/keychain.js';
import { createAccountStore } from '../../electron/services/accounts/account-services.js';
import { readOutgoingHeaders } from '../../electron/services/compose/outgoing-headers.js';
import { createOutboxService } from '../../electron/services/outbox/outbox-service.js';
import { OutboxStore } from '../../electron/services/outbox/outbox-store.js';
import { startMailStack, type MailStack } from '../support/mailstack.js';
import { accountAddArgs, accountFor, nextEvent, repoRoot, sealmail, tempHome } from './accounts-fixture.js';
import { countByMessageId, settledCount, startRelay, type StallingRelay } from './outbox-fixture.js';

let stack: MailStack;
let home: string;
let files: string;
let smtpRelay: StallingRelay;
let imapRelay: StallingRelay;
const viaSmtpRelay = 'Alice Outbox SMTP relay';
const viaImapRelay = 'Alice Outbox IMAP relay';

async function addAccount(name: string, smtpPort: number, imapPort: number): Promise<void> {
  const added = await sealmail([
    ...accountAddArgs(stack, 'alice', {
      home,
      name,
      passwordFile: join(files, 'password'),
      imapPort,
      smtpPort,
    }),
    '--ca-file',
    stack.caFile,
  ]);
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
}

// Several processes and a Postfix restart per test: generous, for a shared and busy machine.
const slowTest = 180_000;

beforeAll(async () => {
  stack = await startMailStack();
  home = tempHome().root;
  files = `${home}-files`;
  mkdirSync(files);
  writeFileSync(join(files, 'password'), `${stack.password('alice')}\n`);
  writeFileSync(join(files, 'body.txt'), 'Written just before the crash.\n');
  smtpRelay = await startRelay(stack.ports.submission);
  imapRelay = await startRelay(stack.ports.imap);
  await addAccount(viaSmtpRelay, smtpRelay.port, stack.ports.imap);
  await addAccount(viaImapRelay, stack.ports.submission, imapRelay.port);
});
afterAll(async () => {
  await smtpRelay?.close();
  await imapRelay?.close();
  await stack?.startPostfix().catch(() => undefined);
  await stack?.stop();
});

async function outboxItems(): Promise<OutboxItem[]> {
  const listed = await sealmail(['--home', home, 'outbox', 'list', '--json']);
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as OutboxItem[];
}

async function messageIdOf(item: OutboxItem | undefined): Promise<string> {
  if (!item) throw new Error('no outbox item');
  const raw = readFileSync(join(home, 'outbox', item.id, 'message.eml'));
  return (await readOutgoingHeaders(new Uint8Array(raw))).messageId;
}

/**
 * Starts `mail send` as its own process and waits until the relay holds it in mid-delivery;
 * `kill` ends it with SIGKILL.
 */
async function sendAndHold(
  account: string,
  relay: StallingRelay,
  subject: string,
): Promise<{ kill(): Promise<void> }> {
  relay.mode = 'stall';
  const held = relay.nextStalledConnection();
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'bin', 'sealmail.js'),
      '--home',
      home,
      'mail',
      'send',
      '--account',
      account,
      '--to',
      stack.email('bob'),
      '--subject',
      subject,
      '--body-file',
      join(files, 'body.txt'),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  await held;
  const kill = () =>
    new Promise<void>((resolve, reject) => {
      child.kill('SIGKILL');
      exited.then(
        (signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`exited with ${String(signal)}`))),
        reject,
      );
    });
  return { kill };
}

test(
  'SIGKILL while talking to the SMTP server: the next process sends the message exactly once',
  { timeout: slowTest },
  async () => {
    const sender = await sendAndHold(viaSmtpRelay, smtpRelay, 'Killed during SMTP');
    // While that process delivers, another one leaves the message alone.
    const meanwhile = await sealmail(['--home', home, 'outbox', 'flush']);
    expect(meanwhile.code).toBe(0);
    expect(meanwhile.stdout).toContain('another Sealmail process is sending it right now');
    await sender.kill();
    // The dead process had started the delivery, and the item says so.
    const [interrupted] = await outboxItems();
    expect(interrupted).toMatchObject({ subject: 'Killed during SMTP', state: 'sending', attempts: 1 });
    const messageId = await messageIdOf(interrupted);

    smtpRelay.mode = 'pass';
    const flushed = await sealmail(['--home', home, 'outbox', 'flush']);
    expect(flushed.stderr).toBe('');
    expect(flushed.stdout).toContain(`sent ${messageId}`);
    expect(await outboxItems()).toEqual([]);
    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    expect(await countByMessageId(stack, 'alice', 'Sent', messageId)).toBe(1);
  },
);

test(
  'SIGKILL after the server accepted, while copying to Sent: not sent again, copied to Sent once',
  { timeout: slowTest },
  async () => {
    await (await sendAndHold(viaImapRelay, imapRelay, 'Killed during the Sent copy')).kill();
    const [accepted] = await outboxItems();
    expect(accepted).toMatchObject({ subject: 'Killed during the Sent copy', state: 'sent', attempts: 1 });
    const messageId = await messageIdOf(accepted);
    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    expect(await countByMessageId(stack, 'alice', 'Sent', messageId)).toBe(0);

    imapRelay.mode = 'pass';
    const flushed = await sealmail(['--home', home, 'outbox', 'flush']);
    expect(flushed.stderr).toBe('');
    expect(flushed.stdout).toContain(`sent ${messageId}`);
    expect(await outboxItems()).toEqual([]);
    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    expect(await countByMessageId(stack, 'alice', 'Sent', messageId)).toBe(1);
  },
);

test(
  'the running app retries with backoff while Postfix is down and delivers once it is back',
  { timeout: slowTest },
  async () => {
    const keychain = createKeychain();
    const accounts = createAccountStore(join(home, 'config.json'), keychain, async () => undefined);
    const account = await accounts.services.add(accountFor(stack, 'alice', 'outbox-backoff'));
    const events = new EventBus();
    const outbox = createOutboxService({
      outboxDir: join(home, 'outbox'),
      events,
      getAccount: (id) => accounts.get(id),
      getPassword: (id) => keychain.getPassword(id),
      // Short waits so the test does not sit idle; the schedule itself is unit-tested.
      retryPolicy: { firstDelayMs: 200, maxDelayMs: 800, giveUpAfterMs: 60 * 60_000 },
    });
    try {
      await stack.stopPostfix();
      const queued = await outbox.queue(account.id, {
        to: [stack.email('bob')],
        cc: [],
        bcc: [],
        subject: 'Retried in the background',
        text: 'x\n',
        attachments: [],
        sensitivity: 'normal',
      });
      const messageId = (
        await readOutgoingHeaders(await new OutboxStore(join(home, 'outbox')).readRaw(queued.id))
      ).messageId;

      const isThis = (state: OutboxItem['state'], attempts?: number) => (payload: { item: OutboxItem }) =>
        payload.item.id === queued.id &&
        payload.item.state === state &&
        (attempts === undefined || payload.item.attempts === attempts);
      const firstRetry = nextEvent(events, 'outbox.changed', isThis('retrying', 1));
      const secondRetry = nextEvent(events, 'outbox.changed', isThis('retrying', 2));
      await outbox.start();
      const first = await firstRetry;
      expect(first.item.lastError?.code).toBe('CONNECTION_FAILED');
      expect(first.item.nextAttemptAt).not.toBeNull();
      // Nobody asked: the outbox tried again on its own.
      await secondRetry;

      const delivered = nextEvent(events, 'outbox.changed', isThis('sent'));
      await stack.startPostfix();
      await delivered;
      await outbox.close();
      expect(await outbox.list()).toEqual([]);
      expect(await settledCount(stack, 'bob', messageId)).toBe(1);
      expect(await countByMessageId(stack, 'alice', 'Sent', messageId)).toBe(1);
    } finally {
      await outbox.close();
    }
  },
);
