// `km mailbox enable --send-email` (seed 003 "Send Enrollment Message") over the real Postfix
// and Dovecot: the temporary key arrives in bob's INBOX inside the edited welcome template, and
// is also printed; with the SMTP server down the key is still printed and the error says so.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailStack, type MailStack } from '../support/mailstack.js';
import { sealmail } from './accounts-fixture.js';
import { fetchByMessageId, settledCount } from './outbox-fixture.js';

let stack: MailStack;
let dir: string;
let data: string;
let adminFlags: string[];
let smtpFlags: string[];

beforeAll(async () => {
  stack = await startMailStack();
  dir = mkdtempSync(join(tmpdir(), 'sealmail-km-mail-'));
  data = join(dir, 'km');
  const adminFile = join(dir, 'admin.txt');
  writeFileSync(adminFile, 'the only admin password\n');
  adminFlags = ['--admin-password-file', adminFile];
  const smtpPassword = join(dir, 'smtp.txt');
  writeFileSync(smtpPassword, `${stack.password('alice')}\n`);
  smtpFlags = [
    '--send-email',
    '--smtp-host',
    '127.0.0.1',
    '--smtp-port',
    String(stack.ports.submission),
    '--smtp-tls',
    'starttls',
    '--smtp-user',
    stack.email('alice'),
    '--smtp-password-file',
    smtpPassword,
    '--smtp-ca-file',
    stack.caFile,
    '--from',
    stack.email('alice'),
  ];
  const init = await sealmail([
    'km',
    'init',
    '--data',
    data,
    '--url',
    'https://km.example.test:8443',
    ...adminFlags,
  ]);
  expect(init.code).toBe(0);
});
afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('km mailbox enable --send-email', () => {
  it('mails the temporary key in the edited welcome template', async () => {
    const template = join(dir, 'welcome.txt');
    writeFileSync(
      template,
      'Subject: Secure mail for {{email}}\n\nYour key: {{temporaryKey}}\nUntil {{expires}} at {{kmUrl}}.\n',
    );
    const enabled = await sealmail([
      'km',
      'mailbox',
      'enable',
      stack.email('bob'),
      '--data',
      data,
      ...adminFlags,
      ...smtpFlags,
      '--welcome-template',
      template,
      '--json',
    ]);
    expect(enabled.stderr).toBe('');
    expect(enabled.code).toBe(0);
    const printed = JSON.parse(enabled.stdout) as {
      temporaryKey: string;
      expires: string;
      messageId: string;
    };
    expect(await settledCount(stack, 'bob', printed.messageId)).toBe(1);
    const mail = await PostalMime.parse(await fetchByMessageId(stack, 'bob', 'INBOX', printed.messageId));
    expect(mail.subject).toBe(`Secure mail for ${stack.email('bob')}`);
    expect(mail.text).toContain(`Your key: ${printed.temporaryKey}`);
    expect(mail.text).toContain(`Until ${printed.expires} at https://km.example.test:8443.`);
  });

  it('still prints the key when the mail cannot be sent, and says to hand it over', async () => {
    await stack.stopPostfix();
    try {
      const enabled = await sealmail([
        'km',
        'mailbox',
        'enable',
        stack.email('carol'),
        '--data',
        data,
        ...adminFlags,
        ...smtpFlags,
      ]);
      expect(enabled.code).toBe(1);
      expect(enabled.stdout).toMatch(
        /Temporary key for carol@example\.test: ([2-9A-HJKMNP-Z]{4}-){5}[2-9A-HJKMNP-Z]{4}/,
      );
      expect(enabled.stderr).toContain('CONNECTION_FAILED');
      expect(enabled.stderr).toContain('give it to the user another way');
    } finally {
      await stack.startPostfix();
    }
    const status = await sealmail([
      'km',
      'mailbox',
      'status',
      stack.email('carol'),
      '--data',
      data,
      '--json',
    ]);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'New' });
  });
});
