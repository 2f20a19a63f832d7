// What the end-to-end tests share: a real mail stack, alice's Sealmail home with her account
// (password in the real keyring), the app's services, the browser host serving the built
// renderer (dist/renderer), Debian's Chromium, and mail from bob delivered through Postfix.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import type { AccountSummary } from '../../core/api/types.js';
import { resolveHome } from '../../electron/services/home.js';
import { startBrowserHost, type BrowserHost } from '../../electron/main/browser-host.js';
import { createAppServices, type RunningAppServices } from '../../electron/main/create-app-services.js';
import { startMailStack, type MailStack, type MailUser } from '../support/mailstack.js';
import { launchChromium, openPage, type OpenedPage } from '../support/chromium.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererDir = join(repoRoot, 'dist', 'renderer');
/** Screenshots kept as test artifacts. */
export const artifacts = join(repoRoot, 'test-results', 'e2e');

export interface AliceDesktop {
  stack: MailStack;
  services: RunningAppServices;
  account: AccountSummary;
  host: BrowserHost;
  browser: Browser;
  /** A fresh page with Sealmail open, as alice would open it. */
  open(): Promise<OpenedPage>;
  stop(): Promise<void>;
}

/**
 * `tag` keeps this file's keychain entry apart from other files' (they share one keyring).
 * `alreadyThere` puts mail in the mailboxes before alice adds her account to Sealmail.
 */
export async function startAliceDesktop(
  tag: string,
  alreadyThere: (stack: MailStack) => Promise<void> = async () => undefined,
): Promise<AliceDesktop> {
  if (!existsSync(join(rendererDir, 'index.html')))
    throw new Error(
      `${rendererDir} has no index.html: build the renderer first (npx vite build --config renderer/vite.config.ts)`,
    );
  // What has been started, undone in reverse order by stop() or when starting fails half-way,
  // so no Dovecot, Postfix or Chromium outlives the test file.
  const undo: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    const stack = await startMailStack();
    undo.push(() => stack.stop());
    await alreadyThere(stack);
    const homeDir = mkdtempSync(join(tmpdir(), 'sealmail-e2e-'));
    undo.push(async () => rmSync(homeDir, { recursive: true, force: true }));
    // Wired as the app and `npm run dev:browser` wire them (electron/main/create-app-services.ts).
    const services = createAppServices(resolveHome(homeDir));
    undo.push(() => services.close());
    // Every account a test added, so no keychain entry outlives the test.
    undo.push(async () => {
      for (const added of await services.accounts.list()) await services.accounts.remove(added.id);
    });
    await services.start();
    const account = await services.accounts.add({
      name: `Alice ${tag}`,
      email: stack.email('alice'),
      username: stack.email('alice'),
      password: stack.password('alice'),
      imap: { host: '127.0.0.1', port: stack.ports.imaps, tls: 'tls' },
      smtp: { host: '127.0.0.1', port: stack.ports.submission, tls: 'starttls' },
      caPem: stack.caPem,
    });
    const host = await startBrowserHost({ services, rendererDir });
    undo.push(() => host.close());
    const browser = await launchChromium();
    undo.push(() => browser.close());
    mkdirSync(artifacts, { recursive: true });
    return { stack, services, account, host, browser, open: () => openPage(browser, host.url), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Opens Sealmail in a fresh page and waits for alice's folders; if `steps` fail, the page is
 * kept as `<name>-failed.png` so the failure can be seen.
 */
export async function withSealmail(
  desktop: AliceDesktop,
  name: string,
  steps: (opened: OpenedPage) => Promise<void>,
): Promise<void> {
  const opened = await desktop.open();
  try {
    await opened.page
      .getByRole('button', { name: /^INBOX/ })
      .first()
      .waitFor();
    await steps(opened);
  } catch (error) {
    mkdirSync(artifacts, { recursive: true });
    await opened.page.screenshot({ path: join(artifacts, `${name}-failed.png`) });
    throw error;
  } finally {
    await opened.close();
  }
}

export interface Letter {
  subject: string;
  text?: string;
  html?: string;
  /** Parts with a Content-ID are the HTML's own images (cid:, RFC 2392). */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string; cid?: string }>;
}

/** `from` sends `letter` to `to` through Postfix's submission port, as any mail program would. */
export async function sendThroughPostfix(
  stack: MailStack,
  from: MailUser,
  to: MailUser,
  letter: Letter,
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
    await transport.sendMail({ from: stack.email(from), to: stack.email(to), ...letter });
  } finally {
    transport.close();
  }
}

/** Puts raw bytes straight into a user's INBOX (IMAP APPEND), e.g. a message no MTA would pass. */
export async function appendToInbox(stack: MailStack, user: MailUser, raw: Uint8Array): Promise<void> {
  await withImap(stack, user, async (client) => {
    await client.append('INBOX', Buffer.from(raw));
  });
}

/** Waits until `user`'s INBOX holds at least `count` messages (Postfix delivers over LMTP). */
export async function waitForInbox(stack: MailStack, user: MailUser, count: number): Promise<void> {
  await withImap(stack, user, async (client) => {
    // Bounded by the test's own timeout, never by a clock of ours.
    for (;;) {
      const status = await client.status('INBOX', { messages: true });
      if (status && (status.messages ?? 0) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

/** The newest message in `user`'s INBOX, as the bytes Dovecot stored. */
export async function newestInInbox(stack: MailStack, user: MailUser): Promise<string> {
  let source = '';
  await withImap(stack, user, async (client) => {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const message = await client.fetchOne('*', { source: true });
      source = message && message.source ? message.source.toString('utf8') : '';
    } finally {
      lock.release();
    }
  });
  return source;
}

async function withImap(stack: MailStack, user: MailUser, action: (client: ImapFlow) => Promise<void>) {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: stack.ports.imaps,
    secure: true,
    auth: { user: stack.email(user), pass: stack.password(user) },
    tls: { ca: stack.caPem },
    logger: false,
  });
  await client.connect();
  try {
    await action(client);
  } finally {
    await client.logout();
  }
}
