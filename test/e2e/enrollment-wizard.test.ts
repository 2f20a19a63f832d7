// Issue 6, Done-when 1: alice redeems a temporary key in "Set up Advanced Security" and sees
// status Active, in Chromium through the browser host, against the real KM over TLS and the real
// mail stack. Also what a user sees when the key is mistyped (the format problem, before the KM
// is asked) and when it was already used (plain words, the typed key still in the field).
// Screenshots of each step are kept in test-results/e2e/.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { artifacts } from './alice-desktop.js';
import {
  openSecuritySettings,
  setUpAdvancedSecurity,
  startSecureWorld,
  tellKm,
  settingsStatus,
  withDesktop,
  type SecureWorld,
} from './secure-desktop.js';

let world: SecureWorld;

beforeAll(async () => {
  world = await startSecureWorld('enrollment-wizard');
});

afterAll(async () => {
  await world?.stop();
});

/** One character replaced by another the alphabet allows: the check character catches it. */
function mistyped(key: string): string {
  const last = key.at(-1) === '2' ? '3' : '2';
  return `${key.slice(0, -1)}${last}`;
}

describe('Set up Advanced Security', () => {
  it('alice redeems her temporary key and sees status Active with her certificates', async () => {
    const alice = await world.desktop('alice');
    const temporaryKey = await world.km.enable(alice.email);
    await withDesktop(alice, 'enrollment-wizard-alice', async (page) => {
      const settings = await openSecuritySettings(page);
      await settingsStatus(settings, 'Status: Not set up').waitFor();
      await settings.getByRole('button', { name: 'Set up Advanced Security…' }).click();
      const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });

      // No policy names a KM here, so the wizard asks for it first.
      await wizard.getByLabel('Server address').fill(world.km.url);
      await wizard.getByText('The server uses its own certificate authority').click();
      await wizard.getByLabel('Its certificate (PEM), from your administrator').fill(world.km.caPem);
      await wizard.getByRole('button', { name: 'Next' }).click();

      // The key is checked as it is typed: first a count, then "looks right".
      const keyField = wizard.getByLabel('Temporary key', { exact: true });
      await expect.poll(() => keyField.evaluate((field) => field === document.activeElement)).toBe(true);
      await keyField.pressSequentially(temporaryKey.slice(0, 9));
      await wizard.getByText('8 of 24 characters so far.').waitFor();
      await keyField.pressSequentially(temporaryKey.slice(9).toLowerCase());
      await wizard.getByText('The key looks right.').waitFor();
      await page.screenshot({ path: join(artifacts, '01-wizard-key-check.png') });
      await wizard.getByRole('button', { name: 'Next' }).click();

      // A weak password is named as such and cannot be used; a good one can.
      const setUp = wizard.getByRole('button', { name: 'Set up' });
      await wizard.getByLabel('New key-file password').fill('Password1!');
      await wizard.getByLabel('Type it again').fill('Password1!');
      await wizard.getByText('Weak', { exact: true }).waitFor();
      expect(await wizard.getByText('"password" is one of the first things').isVisible()).toBe(true);
      expect(await setUp.isDisabled()).toBe(true);
      await page.screenshot({ path: join(artifacts, '01-wizard-weak-password.png') });
      await wizard.getByLabel('New key-file password').fill('lantern river oboe 42');
      await wizard.getByLabel('Type it again').fill('lantern river oboe 42');
      await expect.poll(() => setUp.isEnabled()).toBe(true);
      await page.screenshot({ path: join(artifacts, '01-wizard-password.png') });
      await setUp.click();

      await wizard.getByText('Advanced Security is set up').waitFor({ timeout: 60_000 });
      expect(await wizard.getByText('Status: Active').isVisible()).toBe(true);
      // Seed 003: "Valid from" and "Valid to" for the certificates, one year from today.
      const signing = wizard.getByRole('listitem').filter({ hasText: 'Signing certificate' });
      expect(await signing.getByText(alice.email).isVisible()).toBe(true);
      const validTo = await signing.locator('dt:text-is("Valid to") + dd time').getAttribute('datetime');
      const validFrom = await signing.locator('dt:text-is("Valid from") + dd time').getAttribute('datetime');
      const days = (new Date(validTo ?? '').getTime() - new Date(validFrom ?? '').getTime()) / 86_400_000;
      expect(new Date(validFrom ?? '').getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
      expect(days).toBeGreaterThan(360);
      expect(days).toBeLessThan(370);
      expect(await wizard.getByText('Encryption certificate', { exact: true }).isVisible()).toBe(true);
      await page.screenshot({ path: join(artifacts, '01-wizard-active.png') });
      await wizard.getByRole('button', { name: 'Done' }).click();
      // The wizard sits inside Settings' dialog: until it has gone, its own status line matches too.
      await wizard.waitFor({ state: 'detached' });

      // Settings › Security now shows the status, the defaults and the certificates.
      await settingsStatus(settings, 'Status: Active').waitFor();
      expect(await settings.getByRole('checkbox', { name: 'Add digital signature' }).isVisible()).toBe(true);
      expect(
        await settings
          .getByRole('checkbox', { name: 'Encrypt message contents and attachments' })
          .isVisible(),
      ).toBe(true);
      expect(await settings.getByText('Fingerprint (SHA-256)').first().isVisible()).toBe(true);
      expect(await settings.getByRole('button', { name: 'Renew…' }).isEnabled()).toBe(true);
      expect(await settings.getByText('your older mail stays readable').isVisible()).toBe(true);
      await page.screenshot({ path: join(artifacts, '01-security-settings.png'), fullPage: true });
    });

    // The key file was written: a new window still says Active.
    await withDesktop(alice, 'enrollment-wizard-alice-again', async (page) => {
      const settings = await openSecuritySettings(page);
      await settingsStatus(settings, 'Status: Active').waitFor();
    });
  });

  it('names the problem of a mistyped key, then of a KM that is down, losing nothing', async () => {
    const bob = await world.desktop('bob');
    await tellKm(bob, world.km);
    const temporaryKey = await world.km.enable(bob.email);
    await withDesktop(bob, 'enrollment-wizard-mistyped', async (page) => {
      const settings = await openSecuritySettings(page);
      await settings.getByRole('button', { name: 'Set up Advanced Security…' }).click();
      const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
      const keyField = wizard.getByLabel('Temporary key', { exact: true });

      await keyField.fill(mistyped(temporaryKey));
      await wizard.getByText('has a typing mistake').waitFor();
      expect(await keyField.getAttribute('aria-invalid')).toBe('true');
      await page.screenshot({ path: join(artifacts, '01-wizard-mistyped.png') });
      // Next does not go on with a key that cannot be right.
      await wizard.getByRole('button', { name: 'Next' }).click();
      expect(await wizard.getByLabel('New key-file password').count()).toBe(0);

      // A letter temporary keys never contain is named at once, before the key is complete.
      await keyField.fill('ABCD-EFGO');
      await wizard.getByText('contains "O", which temporary keys never contain').waitFor();
      // Too long is a problem too.
      await keyField.fill(`${temporaryKey}-2`);
      await wizard.getByText('has 25 characters, but it should have 24').waitFor();
    });

    // Then the KM cannot be reached: the user is told so and keeps what was typed; once it is
    // back, the same key works (the mistyped attempts spent nothing). A port nobody listens on
    // is the KM "down".
    const down = `https://127.0.0.1:${await freePort()}`;
    await bob.services.security.setKm(bob.account.id, { url: down, caPem: world.km.caPem });
    await withDesktop(bob, 'enrollment-wizard-km-down', async (page) => {
      const settings = await openSecuritySettings(page);
      await settings.getByRole('button', { name: 'Set up Advanced Security…' }).click();
      const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
      const keyField = wizard.getByLabel('Temporary key', { exact: true });
      await keyField.fill(temporaryKey);
      await wizard.getByRole('button', { name: 'Next' }).click();
      await wizard.getByLabel('New key-file password').fill('gravel tin kettle 87');
      await wizard.getByLabel('Type it again').fill('gravel tin kettle 87');
      await wizard.getByRole('button', { name: 'Set up' }).click();

      const problem = wizard.getByRole('alert');
      await problem.waitFor({ timeout: 60_000 });
      expect(await problem.textContent()).toContain('The Key Management server could not be reached');
      expect(await keyField.inputValue()).toBe(temporaryKey);
      await page.screenshot({ path: join(artifacts, '01-wizard-km-down.png') });

      // The KM is back: "Try again" goes on with the password still typed.
      await tellKm(bob, world.km);
      await wizard.getByRole('button', { name: 'Try again' }).click();
      expect(await wizard.getByLabel('Type it again').inputValue()).toBe('gravel tin kettle 87');
      await wizard.getByRole('button', { name: 'Set up' }).click();
      await wizard.getByText('Advanced Security is set up').waitFor({ timeout: 60_000 });
      expect(await wizard.getByText('Status: Active').isVisible()).toBe(true);
    });
  });

  it('explains a spent key in plain words and keeps what was typed', async () => {
    const carol = await world.desktop('carol');
    await tellKm(carol, world.km);
    const temporaryKey = await world.km.enable(carol.email);
    await withDesktop(carol, 'enrollment-wizard-spent', async (page) => {
      await setUpAdvancedSecurity(page, world.km, temporaryKey, 'copper violin maple 19');
      // The same key again, as "Redeem a recovery key": it works only once.
      const settings = await openSecuritySettings(page);
      await settings.getByRole('button', { name: 'Redeem a recovery key…' }).click();
      const wizard = page.getByRole('dialog', { name: 'Redeem a recovery key' });
      const keyField = wizard.getByLabel('Recovery key', { exact: true });
      await keyField.fill(temporaryKey);
      await wizard.getByRole('button', { name: 'Next' }).click();
      await wizard.getByLabel('New key-file password').fill('copper violin maple 20');
      await wizard.getByLabel('Type it again').fill('copper violin maple 20');
      await wizard.getByRole('button', { name: 'Set up' }).click();

      const problem = wizard.getByRole('alert');
      await problem.waitFor({ timeout: 60_000 });
      expect(await problem.textContent()).toContain('This temporary key has already been used');
      expect(await problem.textContent()).toContain('Ask your administrator for a new one');
      // Nothing lost: the key is still in the field, and focus is on the explanation.
      expect(await keyField.inputValue()).toBe(temporaryKey);
      expect(await problem.evaluate((box) => box === document.activeElement)).toBe(true);
      await page.screenshot({ path: join(artifacts, '01-wizard-spent-key.png') });

      // The key file carol already had is untouched.
      await wizard.getByRole('button', { name: 'Cancel' }).click();
      await settingsStatus(settings, 'Status: Active').waitFor();
      const signingSerial = await settings
        .getByRole('listitem')
        .filter({ hasText: 'Signing certificate' })
        .locator('dt:text-is("Serial number") + dd')
        .textContent();

      // A real recovery key from the administrator works in the same wizard (seed 003).
      const recoveryKey = await world.km.recover(carol.email);
      await settings.getByRole('button', { name: 'Redeem a recovery key…' }).click();
      await keyField.fill(recoveryKey);
      await wizard.getByRole('button', { name: 'Next' }).click();
      await wizard.getByLabel('New key-file password').fill('copper violin maple 20');
      await wizard.getByLabel('Type it again').fill('copper violin maple 20');
      await wizard.getByRole('button', { name: 'Set up' }).click();
      await wizard.getByText('Your keys are recovered').waitFor({ timeout: 60_000 });
      expect(await wizard.getByText('Status: Active').isVisible()).toBe(true);
      // A new signing certificate; the earlier encryption key comes back to open older mail.
      expect(await wizard.getByText('Earlier encryption certificate (opens older mail)').isVisible()).toBe(
        true,
      );
      const newSerial = await wizard
        .getByRole('listitem')
        .filter({ hasText: 'Signing certificate' })
        .locator('dt:text-is("Serial number") + dd')
        .textContent();
      expect(newSerial).not.toBe(signingSerial);
      await page.screenshot({ path: join(artifacts, '01-wizard-recovered.png') });
    });
  });
});
