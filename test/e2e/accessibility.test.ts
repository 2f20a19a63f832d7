// Issue 6, Done-when 7: axe-core finds no serious or critical problem on the main window (with a
// message open), the composer (recipient chips, security options) and the seed-004 send dialog,
// in the light and the dark theme. In Chromium through the browser host, against the real mail
// stack and KM; alice is enrolled, bob and carol are not (so the dialog is the "no recipient"
// variant). Screenshots: test-results/e2e/07-*.png.
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, sendThroughPostfix, waitForInbox } from './alice-desktop.js';
import {
  setUpAdvancedSecurity,
  startSecureWorld,
  tellKm,
  withDesktop,
  type Desktop,
  type SecureWorld,
} from './secure-desktop.js';

let world: SecureWorld;
let alice: Desktop;
const letter = {
  subject: 'Minutes of Monday',
  text: 'The minutes are below. Corrections welcome by Friday.',
};

beforeAll(async () => {
  world = await startSecureWorld('accessibility');
  alice = await world.desktop('alice');
  await tellKm(alice, world.km);
  const temporaryKey = await world.km.enable(alice.email);
  await withDesktop(alice, '07-enroll', (page) =>
    setUpAdvancedSecurity(page, world.km, temporaryKey, 'alice keeps her key here 2026'),
  );
  await sendThroughPostfix(world.stack, 'bob', 'alice', letter);
  await waitForInbox(world.stack, 'alice', 1);
}, 300_000);

afterAll(async () => {
  await world?.stop();
});

/** Serious and critical axe-core findings under `selector`, as "rule: target" lines. */
async function seriousProblems(page: Page, selector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

/** The composer with two recipients as chips (their certificate states shown) and Encrypt on. */
async function composerWithChips(page: Page, subject: string) {
  await page.getByRole('button', { name: 'New message' }).click();
  const composer = page.getByRole('dialog', { name: 'New message' });
  const to = composer.getByLabel('To', { exact: true });
  for (const user of ['bob', 'carol'] as const) {
    await to.fill(world.stack.email(user));
    await to.press('Enter');
  }
  await composer.getByLabel('Subject', { exact: true }).fill(subject);
  await composer.getByLabel('Message', { exact: true }).fill('Figures to follow.');
  for (const user of ['bob', 'carol'] as const)
    await composer
      .locator(`li[data-address="${world.stack.email(user)}"]`)
      .getByText('no certificate')
      .waitFor();
  return composer;
}

describe.each(['light', 'dark'] as const)('axe-core, %s theme', { timeout: 180_000 }, (scheme) => {
  it('the main window with a message open', async () => {
    await withDesktop(alice, `07-main-${scheme}`, async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page
        .getByRole('listbox', { name: 'Messages in INBOX' })
        .getByRole('option', { name: letter.subject })
        .click();
      await page.getByRole('region', { name: 'Reader' }).getByText(letter.text).waitFor();
      await page.screenshot({ path: join(artifacts, `07-main-window-${scheme}.png`) });
      expect(await seriousProblems(page, 'body')).toEqual([]);
    });
  });

  it('the composer, with chips and the locked Encrypt toggle', async () => {
    await withDesktop(alice, `07-composer-${scheme}`, async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      const composer = await composerWithChips(page, 'Confidential: salaries');
      // The subject rule locks Encrypt on and says why (seed 001).
      await composer.getByText('Encryption is required: The subject contains "Confidential".').waitFor();
      await page.screenshot({ path: join(artifacts, `07-composer-${scheme}.png`) });
      expect(await seriousProblems(page, 'dialog[aria-labelledby="composer-title"]')).toEqual([]);
    });
  });

  it('the send dialog', async () => {
    await withDesktop(alice, `07-send-dialog-${scheme}`, async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      const composer = await composerWithChips(page, 'Minutes, corrected');
      await composer.getByLabel('Encrypt message contents and attachments', { exact: true }).check();
      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'No recipient can receive encrypted mail' });
      await dialog.waitFor();
      // No recipient has a certificate: only "Send unencrypted" and "Cancel" (seed 004).
      const buttons = await dialog.getByRole('button').allTextContents();
      expect(buttons.map((text) => text.trim())).toEqual(['Send unencrypted', 'Cancel']);
      await page.screenshot({ path: join(artifacts, `07-send-dialog-${scheme}.png`) });
      expect(await seriousProblems(page, 'dialog[aria-labelledby="send-dialog-title"]')).toEqual([]);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });
  });
});
