// `sealmail account add|list|test` and `mail list|fetch` as a user runs them, against a real
// Dovecot, Postfix and gnome-keyring (run under test/support/with-keyring.sh, after
// `npx tsc -b core electron`).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startMailStack, type MailStack } from '../support/mailstack.js';
import { accountAddArgs, filesContaining, filesUnder, sealmail, tempHome } from './accounts-fixture.js';

let stack: MailStack;
let home: string;
let passwordFile: string;
let wrongPasswordFile: string;

beforeAll(async () => {
  stack = await startMailStack();
  home = tempHome().root;
  passwordFile = join(home, '..', `${home.split('/').pop()}-password`);
  writeFileSync(passwordFile, `${stack.password('alice')}\n`);
  wrongPasswordFile = `${passwordFile}-wrong`;
  writeFileSync(wrongPasswordFile, 'not-alice-pass\n');
});
afterAll(async () => {
  await stack?.stop();
});

function addArgs(name: string, passwords: string, extra: string[] = []): string[] {
  return [...accountAddArgs(stack, 'alice', { home, name, passwordFile: passwords }), ...extra];
}

test('account add stores the account, and account list --json shows it without a password', async () => {
  const added = await sealmail(addArgs('Alice CLI', passwordFile, ['--ca-file', stack.caFile]));
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  expect(added.stdout).toMatch(/added account Alice CLI .*OS keychain/);

  const listed = await sealmail(['--home', home, 'account', 'list', '--json']);
  expect(listed.code).toBe(0);
  const accounts = JSON.parse(listed.stdout) as Record<string, unknown>[];
  expect(accounts).toEqual([
    expect.objectContaining({
      id: 'alice-cli',
      name: 'Alice CLI',
      email: 'alice@example.test',
      imap: { host: '127.0.0.1', port: stack.ports.imap, tls: 'starttls' },
      smtp: { host: '127.0.0.1', port: stack.ports.submission, tls: 'starttls' },
    }),
  ]);
  expect(listed.stdout).not.toContain(stack.password('alice'));
});

test('account add refuses a second account with the same name', async () => {
  const again = await sealmail(addArgs('Alice CLI', passwordFile, ['--ca-file', stack.caFile]));
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/ALREADY_EXISTS: an account named "Alice CLI" already exists/);
});

test('account add rejects a bad TLS mode with a clear error', async () => {
  const bad = await sealmail(addArgs('Bad TLS', passwordFile).map((a) => (a === 'starttls' ? 'ssl' : a)));
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/INVALID_REQUEST: imap\.tls: .*tls, starttls or none/);
});

test('account test reports IMAP and SMTP each as working', async () => {
  const result = await sealmail(['--home', home, 'account', 'test', '--name', 'Alice CLI']);
  expect(result.stdout).toMatch(
    /^IMAP: ok: logged in as alice@example\.test on 127\.0\.0\.1:\d+ \(STARTTLS\)$/m,
  );
  expect(result.stdout).toMatch(
    /^SMTP: ok: logged in as alice@example\.test on 127\.0\.0\.1:\d+ \(STARTTLS\)$/m,
  );
  expect(result.code).toBe(0);
});

test('account test with a wrong password says which login failed and exits non-zero', async () => {
  expect((await sealmail(addArgs('Alice Wrong', wrongPasswordFile, ['--ca-file', stack.caFile]))).code).toBe(
    0,
  );
  const result = await sealmail(['--home', home, 'account', 'test', '--name', 'Alice Wrong']);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(
    `IMAP: FAILED: AUTH_FAILED: IMAP authentication failed for alice@example.test on 127.0.0.1:${stack.ports.imap}`,
  );
  expect(result.stdout).toContain(
    `SMTP: FAILED: AUTH_FAILED: SMTP authentication failed for alice@example.test on 127.0.0.1:${stack.ports.submission}`,
  );
});

test('account test without --ca-file names the untrusted certificate and the way out', async () => {
  expect((await sealmail(addArgs('Alice No CA', passwordFile))).code).toBe(0);
  const result = await sealmail(['--home', home, 'account', 'test', '--name', 'Alice No CA']);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/IMAP: FAILED: TLS_UNTRUSTED: .*not trusted .*--ca-file CA\.pem/);
});

test('mail list --json syncs and prints the INBOX; mail fetch saves the raw message', async () => {
  const raw =
    'From: Carol <carol@example.test>\r\nTo: alice@example.test\r\nSubject: CLI listing\r\n' +
    'Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <cli-1@example.test>\r\n\r\nHello Alice.\r\n';
  const imap = new ImapFlow({
    host: '127.0.0.1',
    port: stack.ports.imap,
    secure: false,
    logger: false,
    auth: { user: stack.email('alice'), pass: stack.password('alice') },
    tls: { ca: stack.caPem },
  });
  await imap.connect();
  await imap.append('INBOX', raw, ['\\Flagged']);
  await imap.logout();

  const listed = await sealmail(['--home', home, 'mail', 'list', '--account', 'Alice CLI', '--json']);
  expect(listed.stderr).toBe('');
  expect(listed.code).toBe(0);
  const messages = JSON.parse(listed.stdout) as { uid: number; subject: string }[];
  expect(messages).toEqual([
    {
      uid: expect.any(Number),
      from: 'Carol <carol@example.test>',
      to: ['alice@example.test'],
      subject: 'CLI listing',
      date: '2026-11-23T10:00:00.000Z',
      flags: ['\\Flagged'],
      size: raw.length,
    },
  ]);

  const out = join(home, 'fetched.eml');
  const fetched = await sealmail([
    '--home',
    home,
    'mail',
    'fetch',
    '--account',
    'Alice CLI',
    '--uid',
    String(messages[0]!.uid),
    '--out',
    out,
  ]);
  expect(fetched.code).toBe(0);
  expect(readFileSync(out, 'latin1')).toBe(raw);

  const toStdout = await sealmail([
    '--home',
    home,
    'mail',
    'fetch',
    '--account',
    'Alice CLI',
    '--uid',
    String(messages[0]!.uid),
    '--out',
    '-',
  ]);
  expect(toStdout.stdout).toBe(raw);

  const missing = await sealmail([
    '--home',
    home,
    'mail',
    'fetch',
    '--account',
    'Alice CLI',
    '--uid',
    '999',
    '--out',
    '-',
  ]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/NOT_FOUND: there is no message with UID 999 in INBOX/);
});

test('with no Secret Service, account add says what to install and writes nothing', async () => {
  const noKeychainHome = tempHome().root;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(noKeychainHome, 'no-bus')}`,
  };
  delete env.DISPLAY;
  const result = await sealmail(
    addArgs('Alice Nowhere', passwordFile).map((a) => (a === home ? noKeychainHome : a)),
    env,
  );
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/KEYCHAIN_UNAVAILABLE: .*gnome-keyring.*libsecret-1-0.*Secret Service/);
  const listed = await sealmail(['--home', noKeychainHome, 'account', 'list', '--json']);
  expect(JSON.parse(listed.stdout)).toEqual([]);
});

test('no password appears in any file the CLI wrote under the Sealmail home', () => {
  const written = filesUnder(home).map((file) => file.path);
  expect(written).toEqual(expect.arrayContaining([join(home, 'config.json'), join(home, 'cache.sqlite')]));
  expect(filesContaining(home, stack.password('alice'))).toEqual([]);
  expect(filesContaining(home, 'not-alice-pass')).toEqual([]);
});
