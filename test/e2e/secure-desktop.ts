// The end-to-end world of Advanced Security (issue 6): a real mail stack, a real KM over TLS
// (km/server, the same code as `sealmail km serve`), one Chromium, and a Sealmail desktop per
// user — each with its own home, app services, keychain entry and browser host. Built from small
// functions so each test file starts what it needs: `startSecureWorld`, then `world.desktop('alice')`,
// `world.desktop('bob')`…; `world.km.enable(…)` hands out temporary keys as an administrator would.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AccountSummary } from '../../core/api/types.js';
import { resolveHome } from '../../electron/services/home.js';
import { startBrowserHost, type BrowserHost } from '../../electron/main/browser-host.js';
import { createAppServices, type RunningAppServices } from '../../electron/main/create-app-services.js';
import { crlCacheDir } from '../../electron/services/crl/cached-revocation.js';
import { CrlCache } from '../../electron/services/crl/crl-cache.js';
import { enableMailbox, recoverMailbox, revokeMailbox } from '../../km/mailbox/admin-operations.js';
import { pem } from '../../km/ca/pem.js';
import { startKmServer, type RunningKm } from '../../km/server/km-server.js';
import type { RevocationReason } from '../../km/storage/records.js';
import { adminPasswords, startTestKm, type TestKm } from '../support/km-authority.js';
import { startMailStack, type MailStack, type MailUser } from '../support/mailstack.js';
import { launchChromium, openPage, type OpenedPage } from '../support/chromium.js';
import { artifacts, rendererDir } from './alice-desktop.js';

/** Two of the three administrator passwords: what the test KM requires for sensitive operations. */
const administrators = adminPasswords.slice(0, 2);

export interface SecureKm {
  /** https://127.0.0.1:PORT, as the user types it into the wizard. */
  url: string;
  /** The KM CA (PEM): the server's TLS certificate and every user certificate chain to it. */
  caPem: string;
  authority: TestKm;
  /** `km mailbox enable`: the temporary key the administrator hands the user. */
  enable(email: string): Promise<string>;
  /** `km mailbox recover`: a recovery key for a lost key file or password. */
  recover(email: string): Promise<string>;
  /** `km mailbox revoke`: the certificates land on the CRL at once. */
  revoke(email: string, reason?: RevocationReason): Promise<void>;
  stop(): Promise<void>;
}

export async function startSecureKm(): Promise<SecureKm> {
  const authority = await startTestKm({ required: 2 });
  let server: RunningKm;
  try {
    server = await startKmServer(
      {
        ...authority,
        dataDirectory: authority.dataDirectory,
        encryptionKeyType: 'P-256',
        requestsPerMinute: 1000,
      },
      { listen: { host: '127.0.0.1', port: 0 } },
    );
  } catch (error) {
    await authority.close();
    throw error;
  }
  return {
    url: server.url,
    caPem: pem(authority.caCertificate, 'CERTIFICATE'),
    authority,
    enable: async (email) => (await enableMailbox(authority, email, administrators)).temporaryKey,
    recover: async (email) => (await recoverMailbox(authority, email, administrators)).temporaryKey,
    revoke: async (email, reason = 'keyCompromise') => {
      await revokeMailbox(authority, email, reason, administrators);
    },
    stop: async () => {
      await server.close();
      await authority.close();
    },
  };
}

/** One user's Sealmail before any account: home, services and a browser host serving it. */
export interface FirstRunDesktop {
  user: MailUser;
  email: string;
  homeDir: string;
  services: RunningAppServices;
  host: BrowserHost;
  /** A fresh page with this user's Sealmail open. */
  open(): Promise<OpenedPage>;
}

/** The same with the user's account added (not enrolled). */
export interface Desktop extends FirstRunDesktop {
  account: AccountSummary;
}

export interface DesktopOptions {
  /**
   * The organisation's policy file (docs/policy.schema.json), e.g. `{ policies: { SignByDefault:
   * { Value: true, Locked: true } } }`, as an administrator would install it.
   */
  systemPolicy?: unknown;
}

export interface SecureWorld {
  stack: MailStack;
  km: SecureKm;
  browser: Browser;
  /**
   * Starts `user`'s desktop on first call (the account added, not enrolled); later calls reuse it
   * (`options` count only on the first call).
   */
  desktop(user: MailUser, options?: DesktopOptions): Promise<Desktop>;
  /** Another, fresh desktop for `user` with no account yet: the first run, or a second computer. */
  firstRunDesktop(user: MailUser, options?: DesktopOptions): Promise<FirstRunDesktop>;
  stop(): Promise<void>;
}

/** `tag` keeps this file's keychain entries apart from other files' (they share one keyring). */
export async function startSecureWorld(tag: string): Promise<SecureWorld> {
  if (!existsSync(join(rendererDir, 'index.html')))
    throw new Error(
      `${rendererDir} has no index.html: build the renderer first (npx vite build --config renderer/vite.config.ts)`,
    );
  // Undone in reverse order, so no Dovecot, Postfix, KM or Chromium outlives the test file.
  const undo: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    const stack = await startMailStack();
    undo.push(() => stack.stop());
    const km = await startSecureKm();
    undo.push(() => km.stop());
    const browser = await launchChromium();
    undo.push(() => browser.close());
    mkdirSync(artifacts, { recursive: true });
    const desktops = new Map<MailUser, Promise<Desktop>>();
    const desktop = (user: MailUser, options: DesktopOptions = {}): Promise<Desktop> => {
      let started = desktops.get(user);
      if (!started) {
        started = startFirstRunDesktop(stack, browser, user, undo, options).then((bare) =>
          addAccount(bare, stack, tag),
        );
        desktops.set(user, started);
      }
      return started;
    };
    const firstRunDesktop = (user: MailUser, options: DesktopOptions = {}): Promise<FirstRunDesktop> =>
      startFirstRunDesktop(stack, browser, user, undo, options);
    return { stack, km, browser, desktop, firstRunDesktop, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs `create` with SEALMAIL_POLICY_FILE naming a system policy file written for this desktop
 * (electron/services/policy/policy-locations.ts). The services take the file's path when they
 * are created, synchronously, so the variable is restored before any other desktop starts.
 */
function withSystemPolicy<T>(homeDir: string, policy: unknown, create: () => T): T {
  const variable = 'SEALMAIL_POLICY_FILE';
  const before = process.env[variable];
  const file = join(homeDir, 'system-policy.json');
  // Without a policy of its own, a desktop must not read the machine's (there is none in CI).
  writeFileSync(file, JSON.stringify(policy ?? { policies: {} }, null, 2));
  process.env[variable] = file;
  try {
    return create();
  } finally {
    if (before === undefined) delete process.env[variable];
    else process.env[variable] = before;
  }
}

async function startFirstRunDesktop(
  stack: MailStack,
  browser: Browser,
  user: MailUser,
  undo: Array<() => Promise<void>>,
  options: DesktopOptions,
): Promise<FirstRunDesktop> {
  const homeDir = mkdtempSync(join(tmpdir(), `sealmail-e2e-${user}-`));
  undo.push(async () => rmSync(homeDir, { recursive: true, force: true }));
  // Wired as the app and `npm run dev:browser` wire them (electron/main/create-app-services.ts).
  const services = withSystemPolicy(homeDir, options.systemPolicy, () =>
    createAppServices(resolveHome(homeDir)),
  );
  undo.push(() => services.close());
  undo.push(async () => {
    for (const added of await services.accounts.list()) await services.accounts.remove(added.id);
  });
  await services.start();
  const host = await startBrowserHost({ services, rendererDir });
  undo.push(() => host.close());
  const email = stack.email(user);
  return { user, email, homeDir, services, host, open: () => openPage(browser, host.url) };
}

async function addAccount(desktop: FirstRunDesktop, stack: MailStack, tag: string): Promise<Desktop> {
  const { user, email, services } = desktop;
  const account = await services.accounts.add({
    name: `${user[0]!.toUpperCase()}${user.slice(1)} ${tag}`,
    email,
    username: email,
    password: stack.password(user),
    imap: { host: '127.0.0.1', port: stack.ports.imaps, tls: 'tls' },
    smtp: { host: '127.0.0.1', port: stack.ports.submission, tls: 'starttls' },
    caPem: stack.caPem,
  });
  return { ...desktop, account };
}

/**
 * Opens `desktop` in a fresh page and waits for its folders; if `steps` fail, the page is kept
 * as `<name>-failed.png` so the failure can be seen.
 */
export async function withDesktop(
  desktop: Desktop,
  name: string,
  steps: (page: Page, opened: OpenedPage) => Promise<void>,
): Promise<void> {
  const opened = await desktop.open();
  try {
    await opened.page
      .getByRole('button', { name: /^INBOX/ })
      .first()
      .waitFor();
    await steps(opened.page, opened);
  } catch (error) {
    mkdirSync(artifacts, { recursive: true });
    await opened.page.screenshot({ path: join(artifacts, `${name}-failed.png`) });
    throw error;
  } finally {
    await opened.close();
  }
}

/** Tells the desktop's account where the KM is, as an organisation's policy or the wizard would. */
export async function tellKm(desktop: Desktop, km: SecureKm): Promise<void> {
  await desktop.services.security.setKm(desktop.account.id, { url: km.url, caPem: km.caPem });
}

/** Opens Settings › Security from the top bar; returns the dialog. */
/**
 * Settings' own status line. Scoped to its section because the wizard opens inside Settings'
 * dialog, and a closing <dialog> stays in the page (hidden) for a moment with a status line too.
 */
export function settingsStatus(settings: Locator, text: string): Locator {
  return settings.getByRole('region', { name: /^Advanced Security for / }).getByText(text);
}

export async function openSecuritySettings(page: Page) {
  await page.getByRole('button', { name: 'Security settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Security settings' });
  await settings.waitFor();
  return settings;
}

/**
 * Walks "Set up Advanced Security" from Settings › Security as the user does: the KM address
 * (asked only when the account has none), the temporary key, the password twice, and waits for
 * "Status: Active". For tests whose subject is not the wizard itself (e.g. enrolling bob).
 */
export async function setUpAdvancedSecurity(
  page: Page,
  km: SecureKm,
  temporaryKey: string,
  password: string,
): Promise<void> {
  const settings = await openSecuritySettings(page);
  await settings.getByRole('button', { name: 'Set up Advanced Security…' }).click();
  const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
  const kmField = wizard.getByLabel('Server address');
  const keyField = wizard.getByLabel('Temporary key', { exact: true });
  await kmField.or(keyField).first().waitFor();
  if (await kmField.isVisible()) {
    await kmField.fill(km.url);
    await wizard.getByText('The server uses its own certificate authority').click();
    await wizard.getByLabel('Its certificate (PEM), from your administrator').fill(km.caPem);
    await wizard.getByRole('button', { name: 'Next' }).click();
  }
  await keyField.fill(temporaryKey);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByLabel('New key-file password').fill(password);
  await wizard.getByLabel('Type it again').fill(password);
  await wizard.getByRole('button', { name: 'Set up' }).click();
  await wizard.getByText('Advanced Security is set up').waitFor({ timeout: 60_000 });
  await wizard.getByRole('button', { name: 'Done' }).click();
  await settings.getByRole('button', { name: 'Close' }).click();
}

/**
 * The administrator enables `desktop`'s mailbox and its user sets up Advanced Security with the
 * temporary key (setUpAdvancedSecurity); a failure is kept as `<name>-failed.png`.
 */
export async function enrollWithWizard(
  desktop: Desktop,
  km: SecureKm,
  password: string,
  name: string,
): Promise<void> {
  const temporaryKey = await km.enable(desktop.email);
  await withDesktop(desktop, name, (page) => setUpAdvancedSecurity(page, km, temporaryKey, password));
}

/** Opens the composer and fills it as the user would, each recipient turned into a chip with Enter. */
export async function writeMessage(
  page: Page,
  to: string[],
  letter: { subject: string; text: string },
): Promise<Locator> {
  await page.getByRole('button', { name: 'New message' }).click();
  const composer = page.getByRole('dialog', { name: 'New message' });
  const box = composer.getByLabel('To', { exact: true });
  for (const address of to) {
    await box.fill(address);
    await box.press('Enter');
  }
  await composer.getByLabel('Subject', { exact: true }).fill(letter.subject);
  await composer.getByLabel('Message', { exact: true }).fill(letter.text);
  return composer;
}

/** Clicks the INBOX row with `subject` until the reader shows its heading; returns the reader. */
export async function openInReader(page: Page, subject: string): Promise<Locator> {
  const row = page.getByRole('listbox', { name: 'Messages in INBOX' }).getByRole('option', { name: subject });
  const reader = page.getByRole('region', { name: 'Reader' });
  const heading = reader.getByRole('heading', { name: subject });
  // The virtualised list re-renders when the background sync ends; a click that landed on a
  // row just reused for another message is simply made again.
  for (;;) {
    await row.first().click();
    if (
      await heading.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    )
      break;
  }
  return reader;
}

/**
 * The KM's newest CRL into `desktop`'s CRL cache, as `sealmail crl import` or the background
 * refresh would put it there (seed 003: the client keeps a copy), so revocation is checked
 * against what the administrator last published.
 */
export async function deliverCrl(desktop: FirstRunDesktop, km: SecureKm): Promise<void> {
  const crl = await km.authority.store.records.latestCrl();
  if (!crl) throw new Error('the KM has published no CRL yet');
  await new CrlCache(crlCacheDir(resolveHome(desktop.homeDir))).install(km.authority.caCertificate, crl.der);
}
