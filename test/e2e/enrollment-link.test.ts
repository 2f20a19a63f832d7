// Issue 6 follow-up: a sealmail://enroll link (the KM's welcome message) opens "Set up Advanced
// Security" for the matching account with the temporary key filled in; the user still presses
// Next and chooses the password. The browser host cannot receive OS links, so the test hands them
// to main's enrollment-link slot as the OS would (services.enrollmentLinks.offer), once before the
// window opens (a link that launched the app) and once while it is open. A link naming another KM
// than the account's is ignored with a warning; a link for a mailbox Sealmail does not have, or a
// damaged one, is explained. Real KM over TLS and the real mail stack; screenshots in
// test-results/e2e/08-*.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEnrollmentLink } from '../../core/enrollment/enrollment-link.js';
import { artifacts } from './alice-desktop.js';
import { startSecureWorld, tellKm, withDesktop, type Desktop, type SecureWorld } from './secure-desktop.js';

let world: SecureWorld;

beforeAll(async () => {
  world = await startSecureWorld('enrollment-link');
});

afterAll(async () => {
  await world?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

/** Letters and digits only, upper case: how a typed key compares whatever its dashes and case. */
const bare = (key: string) => key.replace(/[^0-9a-z]/gi, '').toUpperCase();

async function choosePasswordAndSetUp(page: Page, password: string): Promise<void> {
  const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
  await wizard.getByLabel('New key-file password').fill(password);
  await wizard.getByLabel('Type it again').fill(password);
  await wizard.getByRole('button', { name: 'Set up' }).click();
  await wizard.getByText('Advanced Security is set up').waitFor({ timeout: 90_000 });
  expect(await wizard.getByText('Status: Active').isVisible()).toBe(true);
  await wizard.getByRole('button', { name: 'Done' }).click();
  await wizard.waitFor({ state: 'detached' });
}

async function kmOf(desktop: Desktop): Promise<string | null> {
  return (await desktop.services.security.status(desktop.account.id)).km?.url ?? null;
}

describe('sealmail://enroll links', { timeout: 240_000 }, () => {
  it('a link that started the app opens the wizard prefilled; Next and a password redeem it', async () => {
    const alice = await world.desktop('alice');
    await tellKm(alice, world.km);
    const temporaryKey = await world.km.enable(alice.email);
    // Before the window exists: main keeps it until the window asks ('enrollment.pendingLink').
    const offered = alice.services.enrollmentLinks.offer(
      formatEnrollmentLink({ email: alice.email, temporaryKey, kmUrl: world.km.url }),
    );
    expect(offered.ok).toBe(true);

    const opened = await alice.open();
    try {
      const page = opened.page;
      const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
      const keyField = wizard.getByLabel('Temporary key', { exact: true });
      await keyField.waitFor();
      expect(bare(await keyField.inputValue())).toBe(bare(temporaryKey));
      // The link names the account's own KM: nothing to warn about.
      expect(await wizard.getByText(/different Key Management server/).count()).toBe(0);
      await wizard.getByText('The key looks right.').waitFor();
      await shot(page, '08-enrollment-link');
      // Nothing is redeemed until the user says so.
      expect((await alice.services.security.status(alice.account.id)).state).toBe('not-enrolled');
      await wizard.getByRole('button', { name: 'Next' }).click();
      await choosePasswordAndSetUp(page, 'alice opened the link 2026');
    } finally {
      await opened.close();
    }
    expect((await alice.services.security.status(alice.account.id)).state).toBe('active');
  });

  it('a link naming another KM is ignored with a warning; unknown mailboxes and damaged links are explained', async () => {
    const bob = await world.desktop('bob');
    await tellKm(bob, world.km);
    const temporaryKey = await world.km.enable(bob.email);
    const elsewhere = 'https://km.elsewhere.example/';
    await withDesktop(bob, '08-enrollment-link-other-km', async (page) => {
      bob.services.enrollmentLinks.offer(
        formatEnrollmentLink({ email: bob.email, temporaryKey, kmUrl: elsewhere }),
      );
      const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
      await wizard.getByLabel('Temporary key', { exact: true }).waitFor();
      const warning = wizard.getByText(/This link names a different Key Management server/);
      await warning.waitFor();
      const said = (await warning.textContent()) ?? '';
      expect(said).toContain(elsewhere);
      expect(said).toContain(world.km.url);
      expect(said).toContain('it was ignored');
      // Straight to the key: the KM step is not offered with the link's address.
      expect(await wizard.getByLabel('Server address').count()).toBe(0);
      await shot(page, '08-enrollment-link-other-km');
      await wizard.getByRole('button', { name: 'Not now' }).click();
      await wizard.waitFor({ state: 'detached' });
      expect(await kmOf(bob)).toBe(world.km.url);

      // A link for a mailbox that is not in Sealmail.
      bob.services.enrollmentLinks.offer(
        formatEnrollmentLink({ email: 'dave@example.test', temporaryKey, kmUrl: null }),
      );
      const notice = page.getByRole('dialog', { name: 'Sealmail link' });
      await notice.getByText(/for the mailbox dave@example\.test, which is not in Sealmail yet/).waitFor();
      expect(await notice.getByText('Add that account first').count()).toBe(1);
      await shot(page, '08-enrollment-link-no-account');
      await notice.getByRole('button', { name: 'OK' }).click();
      await notice.waitFor({ state: 'detached' });

      // A damaged link: its own error, in words.
      const damaged = bob.services.enrollmentLinks.offer(
        `sealmail://enroll?mailbox=${encodeURIComponent(bob.email)}`,
      );
      expect(damaged.ok).toBe(false);
      await notice.getByText(/This Sealmail link cannot be used: it carries no temporary key/).waitFor();
      await notice.getByRole('button', { name: 'OK' }).click();
    });
  });

  it('with no KM known, the link only suggests its address; the user confirms it in the KM step', async () => {
    const carol = await world.desktop('carol');
    expect(await kmOf(carol)).toBeNull();
    const temporaryKey = await world.km.enable(carol.email);
    await withDesktop(carol, '08-enrollment-link-confirm-km', async (page) => {
      carol.services.enrollmentLinks.offer(
        formatEnrollmentLink({ email: carol.email, temporaryKey, kmUrl: world.km.url }),
      );
      const wizard = page.getByRole('dialog', { name: 'Set up Advanced Security' });
      const server = wizard.getByLabel('Server address');
      await server.waitFor();
      expect(await server.inputValue()).toMatch(new RegExp(`^${world.km.url.replace(/[.]/g, '\\.')}/?$`));
      await wizard.getByText('This address came from the link you opened.', { exact: false }).waitFor();
      // Not adopted until the user presses Next.
      expect(await kmOf(carol)).toBeNull();
      await shot(page, '08-enrollment-link-confirm-km');
      await wizard.getByText('The server uses its own certificate authority').click();
      await wizard.getByLabel('Its certificate (PEM), from your administrator').fill(world.km.caPem);
      await wizard.getByRole('button', { name: 'Next' }).click();
      const keyField = wizard.getByLabel('Temporary key', { exact: true });
      await keyField.waitFor();
      expect(bare(await keyField.inputValue())).toBe(bare(temporaryKey));
      await wizard.getByRole('button', { name: 'Next' }).click();
      await choosePasswordAndSetUp(page, 'carol confirmed the server 2026');
    });
    expect(await kmOf(carol)).not.toBeNull();
    expect((await carol.services.security.status(carol.account.id)).state).toBe('active');
  });
});
