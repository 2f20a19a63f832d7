// `sealmail mail send` and `sealmail outbox list|flush` as a user runs them, each a separate
// process, against a real Dovecot, Postfix and gnome-keyring. Run under
// test/support/with-keyring.sh, after `npx tsc -b core electron`.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import type { OutboxItem } from '../../core/api/types.js';
import { startMailStack, type MailStack } from '../support/mailstack.js';
import { accountAddArgs, sealmail, tempHome, type CliRun } from './accounts-fixture.js';
import { countByMessageId, fetchByMessageId, settledCount } from './outbox-fixture.js';

let stack: MailStack;
let home: string;
let files: string;
const account = 'Alice Outbox CLI';

// Several processes and a Postfix restart per test: generous, for a shared and busy machine.
const slowTest = 180_000;

beforeAll(async () => {
  stack = await startMailStack();
  home = tempHome().root;
  files = `${home}-files`;
  mkdirSync(files);
  writeFileSync(join(files, 'password'), `${stack.password('alice')}\n`);
  writeFileSync(join(files, 'body.txt'), 'Hello Bob,\n\nthe figures are attached.\n\nAlice\n');
  writeFileSync(join(files, 'figures.csv'), 'quarter,revenue\nQ1,100\nQ2,120\n');
  const added = await sealmail([
    ...accountAddArgs(stack, 'alice', { home, name: account, passwordFile: join(files, 'password') }),
    '--ca-file',
    stack.caFile,
  ]);
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
});
afterAll(async () => {
  await stack?.startPostfix().catch(() => undefined);
  await stack?.stop();
});

function send(subject: string, recipients: string[], extra: string[] = []): Promise<CliRun> {
  return sealmail([
    '--home',
    home,
    'mail',
    'send',
    '--account',
    account,
    ...recipients.flatMap((to) => ['--to', to]),
    '--subject',
    subject,
    '--body-file',
    join(files, 'body.txt'),
    ...extra,
  ]);
}

async function outboxItems(): Promise<OutboxItem[]> {
  const listed = await sealmail(['--home', home, 'outbox', 'list', '--json']);
  expect(listed.stderr).toBe('');
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as OutboxItem[];
}

function messageIdIn(output: string): string {
  const found = /<[^<>\s]+@example\.test>/.exec(output);
  if (!found) throw new Error(`no Message-ID in: ${output}`);
  return found[0];
}

test(
  'alice sends bob a message with an attachment: it arrives in his INBOX and in her Sent',
  { timeout: slowTest },
  async () => {
    const sent = await send(
      'Figures for Q2',
      [stack.email('bob')],
      ['--cc', stack.email('carol'), '--attach', join(files, 'figures.csv')],
    );
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^sent <[0-9a-f]+@example\.test>\n$/);
    const messageId = messageIdIn(sent.stdout);

    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    const received = await PostalMime.parse(await fetchByMessageId(stack, 'bob', 'INBOX', messageId));
    expect(received.subject).toBe('Figures for Q2');
    expect(received.from?.address).toBe(stack.email('alice'));
    expect(received.cc?.map((a) => a.address)).toEqual([stack.email('carol')]);
    expect(received.text).toContain('the figures are attached');
    expect(received.attachments.map((a) => a.filename)).toEqual(['figures.csv']);
    expect(new TextDecoder().decode(received.attachments[0]?.content as ArrayBuffer)).toBe(
      'quarter,revenue\nQ1,100\nQ2,120\n',
    );
    expect(await settledCount(stack, 'carol', messageId)).toBe(1);

    expect(await countByMessageId(stack, 'alice', 'Sent', messageId)).toBe(1);
    expect(await outboxItems()).toEqual([]);
  },
);

test(
  'with Postfix down, send keeps the message and says so; once it is back, a new process delivers it exactly once',
  { timeout: slowTest },
  async () => {
    await stack.stopPostfix();
    const queued = await send('Sent while the server was down', [stack.email('bob')]);
    // The process has exited: it made its attempt and left the message on disk.
    expect(queued.code).toBe(0);
    expect(queued.stdout).toContain(`cannot reach 127.0.0.1:${stack.ports.submission}`);
    expect(queued.stdout).toContain('kept in the Outbox');
    const messageId = messageIdIn(queued.stdout);

    const waiting = await outboxItems();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      subject: 'Sent while the server was down',
      state: 'retrying',
      attempts: 1,
    });
    expect(waiting[0]?.lastError?.code).toBe('CONNECTION_FAILED');

    // Still down: a flush tries again, and the message still waits.
    const stillDown = await sealmail(['--home', home, 'outbox', 'flush']);
    expect(stillDown.code).toBe(0);
    expect(stillDown.stdout).toContain('kept in the Outbox');
    expect((await outboxItems())[0]).toMatchObject({ state: 'retrying', attempts: 2 });

    await stack.startPostfix();
    const flushed = await sealmail(['--home', home, 'outbox', 'flush']);
    expect(flushed.stderr).toBe('');
    expect(flushed.code).toBe(0);
    expect(flushed.stdout).toContain(`sent ${messageId}`);
    expect(await outboxItems()).toEqual([]);

    // A second flush finds nothing to send.
    const again = await sealmail(['--home', home, 'outbox', 'flush']);
    expect(again.stdout).toContain('the Outbox is empty');
    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    expect(await countByMessageId(stack, 'alice', 'Sent', messageId)).toBe(1);
  },
);

test(
  "a recipient Postfix refuses (5xx) is reported with the server's reply, and the message stays in the Outbox",
  { timeout: slowTest },
  async () => {
    const refused = await send('To nobody', ['nobody@example.test']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SMTP_PERMANENT');
    expect(refused.stderr).toContain(`127.0.0.1:${stack.ports.submission} refused the message: 550`);
    expect(refused.stderr).toContain('nobody@example.test');
    expect(refused.stderr).toContain('stays in the Outbox');

    const [kept] = await outboxItems();
    expect(kept).toMatchObject({
      subject: 'To nobody',
      state: 'failed',
      attempts: 1,
      recipients: ['nobody@example.test'],
    });
    expect(kept?.lastError?.code).toBe('SMTP_PERMANENT');

    // A flush does not hammer the server with a message it refused for good.
    const flushed = await sealmail(['--home', home, 'outbox', 'flush']);
    expect(flushed.code).toBe(1);
    expect((await outboxItems())[0]).toMatchObject({ state: 'failed', attempts: 1 });

    // Retrying on request asks the server again, which refuses again.
    const retried = await sealmail(['--home', home, 'outbox', 'retry', kept?.id ?? '']);
    expect(retried.code).toBe(1);
    expect(retried.stderr).toContain('refused the message: 550');
    expect((await outboxItems())[0]).toMatchObject({ state: 'failed', attempts: 2 });

    const removed = await sealmail(['--home', home, 'outbox', 'remove', kept?.id ?? '']);
    expect(removed.code).toBe(0);
    expect(await outboxItems()).toEqual([]);
  },
);

test(
  'when Postfix refuses one of two recipients, the other gets it and the refused one stays in the Outbox',
  { timeout: slowTest },
  async () => {
    const mixed = await send('To bob and nobody', [stack.email('bob'), 'nobody@example.test']);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toMatch(/^sent </);
    expect(mixed.stderr).toContain('not sent to nobody@example.test');
    const messageId = messageIdIn(mixed.stdout);
    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    expect(await countByMessageId(stack, 'alice', 'Sent', messageId)).toBe(1);

    const items = await outboxItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ state: 'failed', recipients: ['nobody@example.test'] });
    await sealmail(['--home', home, 'outbox', 'remove', items[0]?.id ?? '']);
  },
);

test('bad input gets a clear error and nothing is queued', { timeout: slowTest }, async () => {
  const unknown = await sealmail([
    '--home',
    home,
    'mail',
    'send',
    '--account',
    'No Such Account',
    '--to',
    stack.email('bob'),
    '--subject',
    'x',
    '--body-file',
    join(files, 'body.txt'),
  ]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('NOT_FOUND');
  expect(unknown.stderr).toContain('sealmail account list');

  const badAddress = await send('x', ['not-an-address']);
  expect(badAddress.code).toBe(1);
  expect(badAddress.stderr).toContain('--to "not-an-address"');

  const missingFile = await send('x', [stack.email('bob')], ['--attach', join(files, 'missing.pdf')]);
  expect(missingFile.code).toBe(1);
  expect(missingFile.stderr).toContain(`--attach ${join(files, 'missing.pdf')}`);
  expect(await outboxItems()).toEqual([]);
});
