// Fills a real Dovecot folder with thousands of messages in seconds, by writing the Maildir
// files directly (Maildir++ layout, ".<Folder>/cur") instead of thousands of IMAP APPENDs.
// S= and W= in each file name are the sizes with LF and CRLF line ends, which Dovecot reads
// instead of the file (Dovecot's maildir docs, "Maildir filename").
import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { MailStack, MailUser } from '../../test/support/mailstack.js';

export async function createFolder(stack: MailStack, user: MailUser, folder: string): Promise<void> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: stack.ports.imap,
    secure: false,
    logger: false,
    auth: { user: stack.email(user), pass: stack.password(user) },
    tls: { ca: stack.caPem },
    disableAutoIdle: true,
  });
  await client.connect();
  try {
    await client.mailboxCreate(folder);
  } finally {
    await client.logout();
  }
}

/** `message(n)` for n = 1…count, LF line ends; every third message is unread. */
export async function fillFolder(
  stack: MailStack,
  user: MailUser,
  folder: string,
  count: number,
  message: (n: number) => string,
): Promise<void> {
  await createFolder(stack, user, folder);
  const dir = join(stack.dir, 'mail', stack.domain, user, 'Maildir', `.${folder}`, 'cur');
  const owner = statSync(dir);
  const stamp = Math.floor(Date.now() / 1000);
  for (let n = 1; n <= count; n++) {
    const body = message(n);
    const size = Buffer.byteLength(body);
    const lines = body.split('\n').length - 1;
    const flags = n % 3 === 0 ? '' : 'S';
    writeFileSync(join(dir, `${stamp}.M${n}P1.bench,S=${size},W=${size + lines}:2,${flags}`), body);
  }
  // Dovecot refuses mail files it cannot own (the stack runs it as an unprivileged user).
  execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
}
