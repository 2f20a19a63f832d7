// `sealmail mail send --sign --encrypt` over the real Dovecot and Postfix and a real KM (issue 4,
// Done-when 6): alice and bob are enrolled, carol is not, and seed 004's three choices decide what
// happens to carol. Run under test/support/with-keyring.sh, after `npx tsc -b core electron km`.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { OutboxItem } from '../../core/api/types.js';
import { resolveHome } from '../../electron/services/home.js';
import { saveHarvestedCertificate } from '../../electron/services/secure-send/harvested-certificates.js';
import { startMailStack, type MailStack, type MailUser } from '../support/mailstack.js';
import { accountAddArgs, repoRoot, sealmail, tempHome, type CliRun } from './accounts-fixture.js';
import { countByMessageId, fetchByMessageId, settledCount } from './outbox-fixture.js';

let stack: MailStack;
let home: string;
let files: string;
let kmData: string;
let kmCa: string;
let kmUrl: string;
let server: ChildProcess;
const account = 'Alice Secure Send';

// Several processes, key generation and real delivery per test: generous for a shared machine.
const slowTest = 240_000;

const keyFile = (user: MailUser): string => join(files, `${user}.p12`);
const passwordFile = (): string => join(files, 'key-file-password.txt');

async function startKm(): Promise<void> {
  kmData = join(files, 'km');
  kmCa = join(kmData, 'ca.pem');
  const adminFile = join(files, 'admin.txt');
  writeFileSync(adminFile, 'the one admin password\n');
  const init = await sealmail([
    'km',
    'init',
    '--data',
    kmData,
    '--url',
    'https://127.0.0.1:9443',
    '--admin-password-file',
    adminFile,
  ]);
  expect(init.code).toBe(0);
  server = spawn(process.execPath, [
    join(repoRoot, 'bin', 'sealmail.js'),
    'km',
    'serve',
    '--data',
    kmData,
    '--listen',
    '127.0.0.1:0',
  ]);
  let printed = '';
  server.stdout?.setEncoding('utf8');
  while (!/KM listening on (\S+)/.test(printed)) {
    const [chunk] = (await once(server.stdout ?? server, 'data')) as [string];
    printed += chunk;
  }
  kmUrl = /KM listening on (\S+)/.exec(printed)?.[1] ?? '';
  for (const user of ['alice', 'bob'] as const) {
    const enabled = await sealmail([
      'km',
      'mailbox',
      'enable',
      stack.email(user),
      '--data',
      kmData,
      '--admin-password-file',
      adminFile,
      '--no-email',
      '--json',
    ]);
    expect(enabled.code).toBe(0);
    const { temporaryKey } = JSON.parse(enabled.stdout) as { temporaryKey: string };
    const enrolled = await sealmail([
      'enroll',
      '--km',
      kmUrl,
      '--km-ca',
      kmCa,
      '--email',
      stack.email(user),
      '--temporary-key',
      temporaryKey,
      '--key-file',
      keyFile(user),
      '--password-file',
      passwordFile(),
    ]);
    expect(enrolled.stderr).toBe('');
    expect(enrolled.code).toBe(0);
  }
}

beforeAll(async () => {
  stack = await startMailStack();
  home = tempHome().root;
  files = `${home}-files`;
  mkdirSync(files);
  writeFileSync(join(files, 'password'), `${stack.password('alice')}\n`);
  writeFileSync(passwordFile(), 'a key file password\n');
  writeFileSync(join(files, 'body.txt'), 'Hello,\n\nthe launch date is the 3rd.\n\nAlice\n');
  const added = await sealmail([
    ...accountAddArgs(stack, 'alice', { home, name: account, passwordFile: join(files, 'password') }),
    '--ca-file',
    stack.caFile,
  ]);
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  await startKm();
}, slowTest);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  await stack?.stop();
});

/** The encryption certificate the KM directory lists for a user (DER), as a signed mail would carry. */
async function directoryCertificate(user: MailUser): Promise<Uint8Array> {
  const { request } = await import('node:https');
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(
      new URL(`/directory/${stack.email(user)}`, kmUrl),
      { ca: readFileSync(kmCa, 'utf8'), agent: false },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end();
  });
  const { encryptionCertificate } = JSON.parse(body) as { encryptionCertificate: string };
  return new Uint8Array(Buffer.from(encryptionCertificate, 'base64'));
}

function secureSend(
  subject: string,
  choice: string,
  km = true,
  to: MailUser[] = ['bob', 'carol'],
): Promise<CliRun> {
  return sealmail([
    '--home',
    home,
    'mail',
    'send',
    '--account',
    account,
    ...to.flatMap((user) => ['--to', stack.email(user)]),
    '--subject',
    subject,
    '--body-file',
    join(files, 'body.txt'),
    '--sign',
    '--encrypt',
    '--key-file',
    keyFile('alice'),
    '--password-file',
    passwordFile(),
    ...(km ? ['--km', kmUrl, '--km-ca', kmCa] : []),
    '--if-recipient-lacks-certificate',
    choice,
  ]);
}

function messageIdIn(output: string): string {
  const found = /<[^<>\s]+@example\.test>/.exec(output);
  if (!found) throw new Error(`no Message-ID in: ${output}`);
  return found[0];
}

interface OpenVerdict {
  encrypted: boolean;
  decrypted: boolean;
  signed: boolean;
  signature: string;
  signer: { email?: string } | null;
}

/** What bob sees when he runs `sealmail open` on the message in his INBOX. */
async function bobOpens(messageId: string): Promise<{ verdict: OpenVerdict; text: string }> {
  const file = join(files, `received-${messageId.replace(/[^0-9a-z]/g, '')}.eml`);
  const opened = `${file}.opened`;
  writeFileSync(file, await fetchByMessageId(stack, 'bob', 'INBOX', messageId));
  const run = await sealmail([
    '--home',
    home,
    'open',
    '--in',
    file,
    '--out',
    opened,
    '--key-file',
    keyFile('bob'),
    '--password-file',
    passwordFile(),
    '--json',
  ]);
  expect(run.code).toBe(0);
  return { verdict: JSON.parse(run.stdout) as OpenVerdict, text: readFileSync(opened, 'utf8') };
}

/** How many messages with this subject a user has in INBOX (for a send that produced no id). */
async function countBySubject(user: MailUser, subject: string): Promise<number> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: stack.ports.imaps,
    secure: true,
    auth: { user: stack.email(user), pass: stack.password(user) },
    tls: { ca: stack.caPem },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const uids = await client.search({ subject }, { uid: true });
      return uids ? uids.length : 0;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function outboxItems(): Promise<OutboxItem[]> {
  const listed = await sealmail(['--home', home, 'outbox', 'list', '--json']);
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as OutboxItem[];
}

test(
  'with remove, bob gets a message he decrypts and whose signature is valid; carol gets nothing',
  { timeout: slowTest },
  async () => {
    const sent = await secureSend('Launch date (remove)', 'remove');
    expect(sent.code).toBe(0);
    expect(sent.stderr).toContain(`removed ${stack.email('carol')}`);
    expect(sent.stdout).toContain('sealed (signed and encrypted)');
    const messageId = messageIdIn(sent.stdout);

    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    const { verdict, text } = await bobOpens(messageId);
    expect(verdict).toMatchObject({ encrypted: true, decrypted: true, signed: true, signature: 'valid' });
    expect(verdict.signer?.email).toBe(stack.email('alice'));
    expect(text).toContain('the launch date is the 3rd');
    // Postfix has settled: had carol been sent a copy, it would be in her INBOX by now.
    expect(await countByMessageId(stack, 'carol', 'INBOX', messageId)).toBe(0);
    expect(await outboxItems()).toEqual([]);
  },
);

test(
  'with cancel, nothing is sent, the exit code is non-zero and carol is named',
  { timeout: slowTest },
  async () => {
    const subject = 'Launch date (cancel)';
    const cancelled = await secureSend(subject, 'cancel');
    expect(cancelled.code).not.toBe(0);
    expect(cancelled.stdout).toBe('');
    expect(cancelled.stderr).toContain('Nothing was sent');
    expect(cancelled.stderr).toContain(stack.email('carol'));
    expect(cancelled.stderr).not.toContain(`${stack.email('bob')}:`);
    expect(await outboxItems()).toEqual([]);
    expect(await countBySubject('bob', subject)).toBe(0);
    expect(await countBySubject('carol', subject)).toBe(0);
  },
);

test(
  'with send-unencrypted, bob and carol both get a signed message in the clear',
  { timeout: slowTest },
  async () => {
    const sent = await secureSend('Launch date (in the clear)', 'send-unencrypted');
    expect(sent.code).toBe(0);
    expect(sent.stderr).toContain('sent unencrypted to everyone');
    expect(sent.stderr).toContain(stack.email('carol'));
    expect(sent.stdout).toContain('sealed (signed)');
    const messageId = messageIdIn(sent.stdout);

    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    expect(await settledCount(stack, 'carol', messageId)).toBe(1);
    const { verdict, text } = await bobOpens(messageId);
    expect(verdict).toMatchObject({ encrypted: false, signed: true, signature: 'valid' });
    expect(text).toContain('the launch date is the 3rd');
    const carolCopy = (await fetchByMessageId(stack, 'carol', 'INBOX', messageId)).toString('utf8');
    expect(carolCopy).toContain('multipart/signed');
    expect(carolCopy).toContain('the launch date is the 3rd');
  },
);

test(
  'without --km, the certificate harvested from bob’s verified signed mail is used',
  { timeout: slowTest },
  async () => {
    const subject = 'Launch date (harvested)';
    // Before anything is harvested, bob has no known certificate and cancel sends nothing.
    const refused = await secureSend(subject, 'cancel', false, ['bob']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${stack.email('bob')}: no certificate is known`);

    await saveHarvestedCertificate(resolveHome(home), stack.email('bob'), await directoryCertificate('bob'));
    const sent = await secureSend(subject, 'cancel', false, ['bob']);
    expect(sent.code).toBe(0);
    const messageId = messageIdIn(sent.stdout);
    expect(await settledCount(stack, 'bob', messageId)).toBe(1);
    const { verdict } = await bobOpens(messageId);
    expect(verdict).toMatchObject({ encrypted: true, decrypted: true, signature: 'valid' });
  },
);

test('a plain send (no --sign, no --encrypt) is unchanged', { timeout: slowTest }, async () => {
  const sent = await sealmail([
    '--home',
    home,
    'mail',
    'send',
    '--account',
    account,
    '--to',
    stack.email('carol'),
    '--subject',
    'Plain note',
    '--body-file',
    join(files, 'body.txt'),
  ]);
  expect(sent.stderr).toBe('');
  expect(sent.code).toBe(0);
  expect(sent.stdout).toMatch(/^sent <[0-9a-f]+@example\.test>\n$/);
  const messageId = messageIdIn(sent.stdout);
  expect(await settledCount(stack, 'carol', messageId)).toBe(1);
  const copy = (await fetchByMessageId(stack, 'carol', 'INBOX', messageId)).toString('utf8');
  expect(copy).not.toContain('application/pkcs7');
  expect(copy).toContain('the launch date is the 3rd');
});
