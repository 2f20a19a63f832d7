// Settings › Security (issue 6, seed 004's Tools › Options › Security) and the wizard's other
// doors, in Chromium through the browser host against the real KM and mail stack:
// - the first run offers "Set up Advanced Security" right after the account is added, and an
//   organisation's policy supplies the KM and locks the defaults ("Set by your organisation");
// - the user's own defaults persist; Lock now; the key-file password changes; Export writes a
//   .p12 that openssl opens; that file imported on a second computer gives status Active;
// - inside the renewal window Settings › Security prompts to renew (seed 003); Renew asks for the
//   key-file password, names a wrong one, then shows the new signing certificate and its
//   valid-to date a year on; the KM issued it;
// - axe-core finds no serious or critical problem in the wizard or in Settings › Security.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailStack } from '../support/mailstack.js';
import { artifacts } from './alice-desktop.js';
import {
  openSecuritySettings,
  setUpAdvancedSecurity,
  startSecureWorld,
  settingsStatus,
  withDesktop,
  type FirstRunDesktop,
  type SecureWorld,
} from './secure-desktop.js';
import { seriousProblems } from './serious-problems.js';

let world: SecureWorld;

beforeAll(async () => {
  world = await startSecureWorld('security-settings');
});

afterAll(async () => {
  await world?.stop();
});

/** The first-run form, filled as the user would for `desktop`'s mailbox. */
async function addAccountInForm(page: Page, stack: MailStack, desktop: FirstRunDesktop): Promise<void> {
  await page.getByLabel('Account name').fill('Work');
  await page.getByLabel('E-mail address').fill(desktop.email);
  await page.getByLabel('Password', { exact: true }).fill(stack.password(desktop.user));
  await page.locator('#imap-host').fill('127.0.0.1');
  await page.locator('#imap-port').fill(String(stack.ports.imaps));
  await page.locator('#imap-tls').selectOption('tls');
  await page.locator('#smtp-host').fill('127.0.0.1');
  await page.locator('#smtp-port').fill(String(stack.ports.submission));
  await page.locator('#smtp-tls').selectOption('starttls');
  await page.getByText('Trust a certificate authority for these servers').click();
  await page.locator('#account-ca').fill(stack.caPem);
  await page.getByRole('button', { name: 'Add account' }).click();
}

/** Opens a first-run desktop, keeping a screenshot of the page if `steps` fail. */
async function withFirstRun(
  desktop: FirstRunDesktop,
  name: string,
  steps: (page: Page) => Promise<void>,
): Promise<void> {
  const opened = await desktop.open();
  try {
    await opened.page.getByRole('heading', { name: 'Welcome to Sealmail' }).waitFor();
    await steps(opened.page);
  } catch (error) {
    await opened.page.screenshot({ path: join(artifacts, `${name}-failed.png`) });
    throw error;
  } finally {
    await opened.close();
  }
}

describe('Settings › Security', () => {
  it('offers the wizard on the first run, with the KM and locked defaults from policy', async () => {
    const carol = await world.firstRunDesktop('carol', {
      systemPolicy: {
        policies: {
          KeyManagement: { Value: { URL: world.km.url, CACertificate: world.km.caPem }, Locked: true },
          SignByDefault: { Value: true, Locked: true },
          EncryptByDefault: { Value: true, Locked: true },
        },
      },
    });
    const temporaryKey = await world.km.enable(carol.email);
    await withFirstRun(carol, 'security-settings-first-run', async (page) => {
      await addAccountInForm(page, world.stack, carol);
      const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
      // The policy names the KM, so the wizard starts at the key, with focus in its field.
      const keyField = wizard.getByLabel('Temporary key', { exact: true });
      await expect.poll(() => keyField.evaluate((field) => field === document.activeElement)).toBe(true);
      expect(await wizard.getByLabel('Server address').count()).toBe(0);
      expect(await seriousProblems(page, 'dialog[open]')).toEqual([]);
      await keyField.fill(temporaryKey);
      await wizard.getByRole('button', { name: 'Next' }).click();
      await wizard.getByLabel('New key-file password').fill('harbour quilt amber 7');
      await wizard.getByLabel('Type it again').fill('harbour quilt amber 7');
      await wizard.getByRole('button', { name: 'Set up' }).click();
      await wizard.getByText('Status: Active').waitFor({ timeout: 60_000 });
      await page.screenshot({ path: join(artifacts, '06-first-run-wizard-active.png') });
      await wizard.getByRole('button', { name: 'Done' }).click();

      const settings = await openSecuritySettings(page);
      await settingsStatus(settings, 'Status: Active').waitFor();
      for (const name of ['Encrypt message contents and attachments', 'Add digital signature']) {
        const option = settings.getByRole('checkbox', { name });
        expect(await option.isDisabled()).toBe(true);
        expect(await option.isChecked()).toBe(true);
      }
      expect(await settings.getByText('Set by your organisation').count()).toBe(2);
      expect(await seriousProblems(page, 'dialog[open]')).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: join(artifacts, '06-security-settings-locked-dark.png') });
    });
  });

  it('keeps the defaults, locks, changes the password and exports a key file openssl opens', async () => {
    const bob = await world.desktop('bob');
    const temporaryKey = await world.km.enable(bob.email);
    await withDesktop(bob, 'security-settings-bob', async (page) => {
      await setUpAdvancedSecurity(page, world.km, temporaryKey, 'walnut signal fern 31');
      const settings = await openSecuritySettings(page);
      const encrypt = settings.getByRole('checkbox', { name: 'Encrypt message contents and attachments' });
      await expect.poll(() => encrypt.isEnabled()).toBe(true);
      expect(await encrypt.isChecked()).toBe(false);
      await encrypt.check();
      await settings.getByText('Saved. New messages start this way.').waitFor();

      await settings.getByRole('button', { name: 'Lock now' }).click();
      await settings.getByText('Key: locked').waitFor();

      // A wrong current password is named, and nothing changes.
      await settings.getByRole('button', { name: 'Change password…' }).click();
      await settings.getByLabel('Current password').fill('not the password at all');
      await settings.getByLabel('New key-file password').fill('walnut signal fern 32');
      await settings.getByLabel('Type it again').fill('walnut signal fern 32');
      await settings.getByRole('button', { name: 'Change password' }).click();
      await settings.getByRole('alert').waitFor();
      expect(await settings.getByRole('alert').textContent()).toContain('does not open the key file');
      await settings.getByLabel('Current password').fill('walnut signal fern 31');
      await settings.getByRole('button', { name: 'Change password' }).click();
      await settings.getByText('The key-file password is changed.').waitFor({ timeout: 60_000 });

      await settings.getByRole('button', { name: 'Export…' }).click();
      await settings.getByLabel('Key-file password').fill('walnut signal fern 32');
      await settings.getByLabel('Export password').fill('export for the laptop 5');
      await settings.getByLabel('Type it again').fill('export for the laptop 5');
      await settings.getByRole('button', { name: 'Export', exact: true }).click();
      await settings.getByText('Exported to').waitFor();
      await page.screenshot({ path: join(artifacts, '06-security-settings-exported.png') });
      await settings.getByRole('button', { name: 'Close' }).click();
    });
    // The default is kept: a new window shows it still on.
    await withDesktop(bob, 'security-settings-bob-again', async (page) => {
      const settings = await openSecuritySettings(page);
      await settingsStatus(settings, 'Status: Active').waitFor();
      expect(
        await settings
          .getByRole('checkbox', { name: 'Encrypt message contents and attachments' })
          .isChecked(),
      ).toBe(true);
    });
    const downloads = join(bob.homeDir, 'downloads');
    const [exported] = readdirSync(downloads).filter((name) => name.endsWith('.p12'));
    expect(exported).toBe('bob@example.test.p12');
    // A standard PKCS#12: openssl opens it with the export password (seed 003: usable elsewhere).
    const certificates = execFileSync(
      'openssl',
      ['pkcs12', '-in', join(downloads, exported!), '-nokeys', '-passin', 'pass:export for the laptop 5'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(certificates).toContain('BEGIN CERTIFICATE');

    // The same file on a second computer: "Import an existing key file" gives status Active.
    const laptop = await world.firstRunDesktop('bob');
    await withFirstRun(laptop, 'security-settings-import', async (page) => {
      await addAccountInForm(page, world.stack, laptop);
      const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
      await wizard.getByRole('button', { name: 'Import an existing key file instead' }).click();
      await wizard.getByLabel('Key file', { exact: true }).setInputFiles(join(downloads, exported!));
      await wizard.getByLabel('Its password').fill('export for the laptop 5');
      await wizard.getByRole('button', { name: 'Import', exact: true }).click();
      await wizard.getByText('Status: Active').waitFor({ timeout: 60_000 });
      const signing = wizard.getByRole('listitem').filter({ hasText: 'Signing certificate' });
      expect(await signing.getByText(laptop.email).isVisible()).toBe(true);
      await page.screenshot({ path: join(artifacts, '06-import-key-file-active.png') });
    });
  });

  it('prompts for renewal before the certificates end, and Renew gives new signing and encryption certificates', async () => {
    const alice = await world.desktop('alice');
    // alice enrolled 340 days ago (the KM's clock moved back), so her one-year certificates end
    // in 25 days: inside the 30-day renewal window (seed 003, core/enrollment/renewal-reminder).
    world.km.authority.setNow(new Date(Date.now() - 340 * 24 * 60 * 60_000));
    const temporaryKey = await world.km.enable(alice.email);
    await withDesktop(alice, 'security-settings-renew', async (page) => {
      try {
        await setUpAdvancedSecurity(page, world.km, temporaryKey, 'copper lantern moss 12');
      } finally {
        world.km.authority.setNow(new Date());
      }
      const settings = await openSecuritySettings(page);
      await settingsStatus(settings, 'Status: Active, renewal due soon').waitFor();
      // Both certificates end together, and one Renew extends both (issue 6): one prompt, no recovery key.
      const renewalDue = settings.getByRole('note').filter({ hasText: 'Renew now so that' });
      const prompt = (await renewalDue.textContent()) ?? '';
      expect(prompt).toContain('Your signing certificate ends on');
      expect(prompt).toContain('Your encryption certificate ends on');
      expect(prompt).not.toContain('recovery key');
      expect(await seriousProblems(page, 'dialog[open]')).toEqual([]);
      await page.screenshot({
        path: join(artifacts, '06-security-settings-renewal-due.png'),
        fullPage: true,
      });
      const signing = settings.getByRole('listitem').filter({ hasText: 'Signing certificate' });
      const serialBefore = await signing.locator('code').first().textContent();
      const encryption = settings
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: 'Encryption certificate', exact: true }) });
      const encryptionSerialBefore = await encryption.locator('code').first().textContent();

      await renewalDue.getByRole('button', { name: 'Renew now…' }).click();
      await settings.getByLabel('Key-file password').fill('not the password at all');
      await settings.getByRole('button', { name: 'Renew now', exact: true }).click();
      await settings.getByRole('alert').waitFor();
      expect(await settings.getByRole('alert').textContent()).toContain('does not open the key file');
      expect(await seriousProblems(page, 'dialog[open]')).toEqual([]);

      await settings.getByLabel('Key-file password').fill('copper lantern moss 12');
      await settings.getByRole('button', { name: 'Renew now', exact: true }).click();
      const renewed = settings.getByText(
        'Renewed both certificates. Your new signing certificate is valid to',
      );
      await renewed.waitFor({ timeout: 60_000 });
      await expect.poll(() => signing.locator('code').first().textContent()).not.toBe(serialBefore);
      const serialAfter = (await signing.locator('code').first().textContent()) ?? '';
      // The date in the message is the new certificate's, a year on, as the list shows it.
      const validTo = (await signing.locator('time').nth(1).getAttribute('datetime')) ?? '';
      const daysLeft = (new Date(validTo).getTime() - Date.now()) / (24 * 60 * 60_000);
      expect(daysLeft).toBeGreaterThan(360);
      expect(await renewed.textContent()).toContain(await signing.locator('time').nth(1).textContent());
      expect(await world.km.authority.store.records.certificate(serialAfter)).toMatchObject({
        email: alice.email,
        kind: 'signing',
        revokedAt: null,
      });
      await expect
        .poll(() => encryption.locator('code').first().textContent())
        .not.toBe(encryptionSerialBefore);
      const encryptionSerialAfter = (await encryption.locator('code').first().textContent()) ?? '';
      expect(await world.km.authority.store.records.certificate(encryptionSerialAfter)).toMatchObject({
        email: alice.email,
        kind: 'encryption',
        revokedAt: null,
      });
      // Both prompts are answered: the status is Active, no longer due soon.
      expect(await renewalDue.count()).toBe(0);
      await settings.locator('strong[data-state="active"]').waitFor();
      await page.screenshot({ path: join(artifacts, '06-security-settings-renewed.png'), fullPage: true });
    });
  });
});
