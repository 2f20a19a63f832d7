// Issue 6, Done-when 7: axe-core finds no serious or critical problem on the main window (with a
// message open), the composer (recipient chips, security options) and the seed-004 send dialog,
// in the light and the dark theme. In Chromium through the browser host, against the real mail
// stack and KM; alice is enrolled, bob and carol are not (so the dialog is the "no recipient"
// variant). Screenshots: test-results/e2e/07-*.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, sendThroughPostfix, waitForInbox } from './alice-desktop.js';
import {
  enrollWithWizard,
  startSecureWorld,
  tellKm,
  withDesktop,
  writeMessage,
  type Desktop,
  type SecureWorld,
} from './secure-desktop.js';
import { seriousProblems } from './serious-problems.js';

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
  await enrollWithWizard(alice, world.km, 'alice keeps her key here 2026', '07-enroll');
  await sendThroughPostfix(world.stack, 'bob', 'alice', letter);
  await waitForInbox(world.stack, 'alice', 1);
}, 300_000);

afterAll(async () => {
  await world?.stop();
});

/** The composer with two recipients as chips (their certificate states shown) and Encrypt on. */
async function composerWithChips(page: Page, subject: string) {
  const composer = await writeMessage(page, [world.stack.email('bob'), world.stack.email('carol')], {
    subject,
    text: 'Figures to follow.',
  });
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
