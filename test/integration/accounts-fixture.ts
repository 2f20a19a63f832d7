// What the mail-engine tests share: a throw-away Sealmail home, an account for a mail-stack user,
// the CLI as a child process, and waiting for an event without a timed assertion.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { NewAccount } from '../../core/api/schemas.js';
import type { EventName } from '../../core/api/channels.js';
import type { EventPayloads } from '../../core/api/types.js';
import type { EventBus } from '../../electron/services/event-bus.js';
import { resolveHome, type SealmailHome } from '../../electron/services/home.js';
import type { MailStack, MailUser } from '../support/mailstack.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function tempHome(): SealmailHome {
  return resolveHome(mkdtempSync(join(tmpdir(), 'sealmail-home-')));
}

/**
 * Account names are also the keychain entries' ids, and test files share one keyring: give each
 * file its own names through `tag`.
 */
export function accountFor(
  stack: MailStack,
  user: MailUser,
  tag: string,
  tls: 'starttls' | 'tls' = 'starttls',
): NewAccount {
  return {
    name: `${user}-${tag}`,
    email: stack.email(user),
    username: stack.email(user),
    password: stack.password(user),
    imap: { host: '127.0.0.1', port: tls === 'tls' ? stack.ports.imaps : stack.ports.imap, tls },
    smtp: { host: '127.0.0.1', port: stack.ports.submission, tls: 'starttls' },
    caPem: stack.caPem,
  };
}

/**
 * `sealmail account add` arguments for a mail-stack user over STARTTLS, without `--ca-file` (one
 * test leaves it out on purpose). The ports can point at a relay in front of the real server.
 */
export function accountAddArgs(
  stack: MailStack,
  user: MailUser,
  at: { home: string; name: string; passwordFile: string; imapPort?: number; smtpPort?: number },
): string[] {
  return [
    '--home',
    at.home,
    'account',
    'add',
    '--name',
    at.name,
    '--email',
    stack.email(user),
    '--username',
    stack.email(user),
    '--password-file',
    at.passwordFile,
    '--imap-host',
    '127.0.0.1',
    '--imap-port',
    String(at.imapPort ?? stack.ports.imap),
    '--imap-tls',
    'starttls',
    '--smtp-host',
    '127.0.0.1',
    '--smtp-port',
    String(at.smtpPort ?? stack.ports.submission),
    '--smtp-tls',
    'starttls',
  ];
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `sealmail` (npx tsc -b core electron first) as a user would. */
export function sealmail(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'sealmail.js'), ...args],
      { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Resolves with the first matching event; the test's own timeout is the only clock. */
export function nextEvent<E extends EventName>(
  events: EventBus,
  name: E,
  matches: (payload: EventPayloads[E]) => boolean = () => true,
): Promise<EventPayloads[E]> {
  return new Promise((resolve) => {
    const off = events.on(name, (payload) => {
      if (!matches(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** Another mail program's IMAP connection (plain imapflow), to change a mailbox behind Sealmail's back. */
export async function otherClient<T>(
  stack: MailStack,
  user: MailUser,
  action: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: stack.ports.imap,
    secure: false,
    logger: false,
    auth: { user: stack.email(user), pass: stack.password(user) },
    tls: { ca: stack.caPem },
  });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.logout();
  }
}

/** APPENDs raw messages (any bytes, even malformed) as another mail program would; returns their UIDs. */
export function appendRaw(
  stack: MailStack,
  user: MailUser,
  folder: string,
  messages: readonly (string | Buffer)[],
  flags: string[] = [],
): Promise<number[]> {
  return otherClient(stack, user, async (client) => {
    const uids: number[] = [];
    for (const raw of messages) {
      const appended = await client.append(folder, raw, flags);
      if (!appended || appended.uid === undefined) throw new Error(`APPEND to ${folder} gave no UID`);
      uids.push(appended.uid);
    }
    return uids;
  });
}

/** Sends through the stack's Postfix submission port with nodemailer, as `from` would. */
export async function sendThroughPostfix(
  stack: MailStack,
  from: MailUser,
  message: SendMailOptions,
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: stack.ports.submission,
    secure: false,
    requireTLS: true,
    auth: { user: stack.email(from), pass: stack.password(from) },
    tls: { ca: stack.caPem },
  });
  try {
    await transport.sendMail({ from: stack.email(from), ...message });
  } finally {
    transport.close();
  }
}

/** Every file under `dir`, recursively, with its bytes (the cache's -wal and -shm included). */
export function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const found: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path));
    else found.push({ path, bytes: readFileSync(path) });
  }
  return found;
}

/** The files under `dir` whose bytes contain `secret` as UTF-8, UTF-16 or base64. */
export function filesContaining(dir: string, secret: string): string[] {
  const forms = [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''), 'utf8'),
  ];
  return filesUnder(dir)
    .filter((file) => forms.some((form) => file.bytes.includes(form)))
    .map((file) => file.path);
}
