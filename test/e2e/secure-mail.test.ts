// Issue 6, Done-when 2–6: signed and encrypted mail between alice and bob in Chromium, through
// the browser host, against the real Dovecot, Postfix and KM server (seed 004's send dialog,
// seed 003's revocation, seed 000's answers that stay encrypted). bob is enrolled, carol is not.
// Enrollment goes through the wizard (test/e2e/secure-desktop.ts); the wizard itself is tested
// in enrollment-wizard.test.ts. Screenshots of each step: test-results/e2e/NN-*.png.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, newestInInbox, waitForInbox } from './alice-desktop.js';
import {
  deliverCrl,
  enrollWithWizard,
  openInReader,
  startSecureWorld,
  tellKm,
  withDesktop,
  writeMessage,
  type Desktop,
  type SecureWorld,
} from './secure-desktop.js';

const passwords = { alice: 'alice keeps her key here 2026', bob: 'bob keeps his key here 2026' };
const secret = {
  subject: 'Launch date',
  text: 'The launch moves to the ninth of December. Please keep it to yourself.',
};

let world: SecureWorld;
let alice: Desktop;
let bob: Desktop;

beforeAll(async () => {
  world = await startSecureWorld('secure-mail');
  alice = await world.desktop('alice');
  bob = await world.desktop('bob');
  for (const [desktop, password] of [
    [alice, passwords.alice],
    [bob, passwords.bob],
  ] as const) {
    await tellKm(desktop, world.km);
    await enrollWithWizard(desktop, world.km, password, `secure-mail-enroll-${desktop.user}`);
    // The CRL as published now (nobody revoked), as the client keeps a copy (seed 003).
    await deliverCrl(desktop, world.km);
  }
}, 300_000);

afterAll(async () => {
  await world?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

function chip(composer: Locator, address: string): Locator {
  return composer.locator(`li[data-address="${address}"]`);
}

const encryptToggle = (composer: Locator) =>
  composer.getByLabel('Encrypt message contents and attachments', { exact: true });

/** The seed-004 dialog, with the buttons it offers, in order. */
async function sendDialog(page: Page): Promise<{ dialog: Locator; buttons: string[] }> {
  const dialog = page.getByRole('dialog', { name: /cannot receive encrypted mail/ });
  await dialog.waitFor();
  const buttons = await dialog.getByRole('button').allTextContents();
  return { dialog, buttons: buttons.map((text) => text.trim()) };
}

/** The send password prompt; a wrong password first when `wrongFirst`, to see the retry. */
async function givePassword(page: Page, password: string, wrongFirst = false): Promise<void> {
  const prompt = page.getByRole('dialog', { name: 'Enter your key-file password' });
  await prompt.waitFor();
  if (wrongFirst) {
    await prompt.getByLabel('Key-file password', { exact: true }).fill('not my password');
    await prompt.getByRole('button', { name: 'Send' }).click();
    await prompt
      .getByText('That password did not open your key file. Try again.')
      .waitFor({ timeout: 30_000 });
  }
  await prompt.getByLabel('Key-file password', { exact: true }).fill(password);
  await prompt.getByRole('button', { name: 'Send' }).click();
}

async function waitUntilSent(page: Page, composer: Locator, subject: string): Promise<void> {
  await composer.waitFor({ state: 'detached', timeout: 60_000 });
  const outbox = page.getByRole('region', { name: 'Outbox' });
  await outbox.getByText(subject).first().waitFor();
  await outbox.getByText('Sent', { exact: true }).first().waitFor({ timeout: 60_000 });
}

/**
 * `desktop` opens the message with `subject`, typing `password` when it is encrypted (a wrong one
 * first when `wrongFirst`, to see the retry), and waits for `text`.
 */
async function opens(
  page: Page,
  subject: string,
  text: string,
  password: string | null,
  wrongFirst = false,
): Promise<Locator> {
  const reader = await openInReader(page, subject);
  if (password !== null) {
    const box = reader.getByLabel('Key-file password', { exact: true });
    if (wrongFirst) {
      await box.fill('not my password');
      await reader.getByRole('button', { name: 'Open' }).click();
      await reader
        .getByText('That password did not open your key file. Try again.')
        .waitFor({ timeout: 60_000 });
    }
    await box.fill(password);
    await reader.getByRole('button', { name: 'Open' }).click();
  }
  await reader.getByText(text).waitFor({ timeout: 60_000 });
  return reader;
}

const bobOpens = (page: Page, subject: string) => opens(page, subject, secret.text, passwords.bob);

/** The banner's lines as a screen reader hears them (the symbols are aria-hidden). */
async function securityLines(reader: Locator): Promise<string[]> {
  const items = reader.getByRole('region', { name: 'Security' }).getByRole('listitem');
  const lines = await items.evaluateAll((elements) =>
    elements.map((element) => {
      const copy = element.cloneNode(true) as Element;
      for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
      return copy.textContent ?? '';
    }),
  );
  return lines.map((line) => line.replace(/\s+/g, ' ').trim());
}

// Each step waits on real delivery and on key-file unlocks (600,000 PBKDF2 rounds) on a shared machine.
describe('secure mail between alice and bob (carol has no certificate)', { timeout: 180_000 }, () => {
  it('2: the dialog names carol; "Remove these recipients" sends to bob only; bob opens it, signed and encrypted', async () => {
    await withDesktop(alice, '02-remove-recipients', async (page) => {
      const composer = await writeMessage(page, [bob.email, world.stack.email('carol')], secret);
      await chip(composer, bob.email).getByText('certificate ready').waitFor();
      await chip(composer, world.stack.email('carol')).getByText('no certificate').waitFor();
      await encryptToggle(composer).check();
      await shot(page, '02-composer-chips');

      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      const { dialog, buttons } = await sendDialog(page);
      expect(buttons).toEqual(['Remove these recipients', 'Send unencrypted', 'Cancel']);
      const named = (await dialog.getByRole('listitem').allTextContents()).map((text) => text.trim());
      expect(named).toHaveLength(1);
      expect(named[0]).toMatch(/^carol@example\.test: no certificate/);
      await shot(page, '02-send-dialog');

      await dialog.getByRole('button', { name: 'Remove these recipients' }).click();
      await givePassword(page, passwords.alice, true);
      await waitUntilSent(page, composer, secret.subject);
      await shot(page, '02-sent');
    });

    await waitForInbox(world.stack, 'bob', 1);
    const delivered = await newestInInbox(world.stack, 'bob');
    expect(delivered).toMatch(/smime-type="?enveloped-data/);
    expect(delivered).not.toContain(secret.text);
    expect(delivered).not.toContain('carol@example.test');

    await withDesktop(bob, '02-bob-reads', async (page) => {
      const reader = await bobOpens(page, secret.subject);
      const lines = await securityLines(reader);
      expect(lines).toContain('Encrypted');
      expect(lines).toContain(`Signed by ${alice.email} ✓`);
      await shot(page, '02-bob-reads-signed-and-encrypted');
    });
  });

  it('3: "Send unencrypted" delivers to bob and carol, unencrypted', async () => {
    const letter = { subject: 'Lunch plans', text: 'Shall we meet at noon by the river?' };
    await withDesktop(alice, '03-send-unencrypted', async (page) => {
      const composer = await writeMessage(page, [bob.email, world.stack.email('carol')], letter);
      await chip(composer, world.stack.email('carol')).getByText('no certificate').waitFor();
      await encryptToggle(composer).check();
      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      const { dialog } = await sendDialog(page);
      await dialog.getByRole('button', { name: 'Send unencrypted' }).click();
      // Still signed (the default): the key is needed for that.
      await givePassword(page, passwords.alice);
      await waitUntilSent(page, composer, letter.subject);
      await shot(page, '03-sent-unencrypted');
    });
    await waitForInbox(world.stack, 'carol', 1);
    await waitForInbox(world.stack, 'bob', 2);
    for (const user of ['bob', 'carol'] as const) {
      const delivered = await newestInInbox(world.stack, user);
      expect(delivered).toContain(`Subject: ${letter.subject}`);
      expect(delivered).not.toMatch(/enveloped-data/);
      expect(delivered).toContain(letter.text);
    }
  });

  it('4: Cancel leaves the draft exactly as it was', async () => {
    await withDesktop(alice, '04-cancel', async (page) => {
      const composer = await writeMessage(page, [bob.email, world.stack.email('carol')], {
        subject: 'Budget draft',
        text: 'Numbers attached; not final.',
      });
      await composer.getByLabel('Attachments', { exact: true }).setInputFiles({
        name: 'budget.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('item,amount\nrent,1200\n'),
      });
      await composer.getByText('budget.csv').waitFor();
      await encryptToggle(composer).check();
      await composer.getByLabel('Sensitivity').selectOption('private');
      await chip(composer, world.stack.email('carol')).getByText('no certificate').waitFor();

      const draft = async () => ({
        chips: await composer
          .locator('li[data-address]')
          .evaluateAll((items) => items.map((item) => item.getAttribute('data-address'))),
        subject: await composer.getByLabel('Subject', { exact: true }).inputValue(),
        text: await composer.getByLabel('Message', { exact: true }).inputValue(),
        attachments: await composer.getByRole('list', { name: 'Attached files' }).textContent(),
        sign: await composer.getByLabel('Add digital signature').isChecked(),
        encrypt: await encryptToggle(composer).isChecked(),
        sensitivity: await composer.getByLabel('Sensitivity').inputValue(),
      });
      const before = await draft();
      expect(before.chips).toEqual([bob.email, world.stack.email('carol')]);
      expect(before.encrypt).toBe(true);

      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      const { dialog } = await sendDialog(page);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await draft()).toEqual(before);
      await shot(page, '04-cancel-keeps-draft');

      // "Remove these recipients", then Cancel at the password: carol is still in the draft.
      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      await (await sendDialog(page)).dialog.getByRole('button', { name: 'Remove these recipients' }).click();
      const prompt = page.getByRole('dialog', { name: 'Enter your key-file password' });
      await prompt.getByRole('button', { name: 'Cancel' }).click();
      await prompt.waitFor({ state: 'detached' });
      expect(await draft()).toEqual(before);
      await composer.getByRole('button', { name: 'Discard' }).click();
    });
  });

  it('reader: a wrong password is said; attachments save, except a Confidential one where policy forbids it', async () => {
    const carol = await world.desktop('carol', {
      systemPolicy: { policies: { SaveConfidentialAttachments: { Value: false, Locked: true } } },
    });
    const report = { subject: 'Quarterly report', text: 'The report is attached.' };
    const attachment = {
      name: 'report.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('quarter,revenue\nQ3,12\n'),
    };
    await withDesktop(alice, 'reader-attachments-send', async (page) => {
      // To bob: encrypted, with the attachment.
      let composer = await writeMessage(page, [bob.email], report);
      await composer.getByLabel('Attachments', { exact: true }).setInputFiles(attachment);
      await encryptToggle(composer).check();
      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      await givePassword(page, passwords.alice);
      await waitUntilSent(page, composer, report.subject);
      // To carol: Confidential; she has no certificate, so alice sends it signed only.
      composer = await writeMessage(page, [world.stack.email('carol')], report);
      await composer.getByLabel('Attachments', { exact: true }).setInputFiles(attachment);
      await composer.getByLabel('Sensitivity').selectOption('confidential');
      // Seed 000: raising the sensitivity switches encryption on; alice switches it off for carol.
      expect(await encryptToggle(composer).isChecked()).toBe(true);
      await encryptToggle(composer).uncheck();
      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      await waitUntilSent(page, composer, report.subject);
    });

    await waitForInbox(world.stack, 'bob', 3);
    await withDesktop(bob, 'reader-attachments-bob', async (page) => {
      const reader = await opens(page, report.subject, report.text, passwords.bob, true);
      const attachments = reader.getByRole('region', { name: 'Attachments' });
      await attachments.getByRole('button', { name: 'Save report.csv' }).click();
      await attachments.getByText(/^Saved "report\.csv"/).waitFor();
      await shot(page, '02-bob-saves-attachment');
    });

    await waitForInbox(world.stack, 'carol', 2);
    await withDesktop(carol, 'reader-attachments-carol', async (page) => {
      const reader = await opens(page, report.subject, report.text, null);
      await reader.getByText('Sensitivity: Confidential').waitFor();
      const attachments = reader.getByRole('region', { name: 'Attachments' });
      await attachments.getByText('report.csv').waitFor();
      await attachments
        .getByText('Your organisation does not allow saving the attachments of Confidential messages.')
        .waitFor();
      expect(await attachments.getByRole('button', { name: /^Save/ }).count()).toBe(0);
      await shot(page, '02-carol-confidential-attachment-not-saved');
    });
  });

  it('6: a reply to an encrypted message starts encrypted, and encryption cannot be switched off', async () => {
    await withDesktop(bob, '06-reply', async (page) => {
      const reader = await bobOpens(page, secret.subject);
      await reader.getByRole('button', { name: 'Reply', exact: true }).click();
      const composer = page.getByRole('dialog', { name: `Re: ${secret.subject}` });
      await composer.waitFor();
      const encrypt = encryptToggle(composer);
      expect(await encrypt.isChecked()).toBe(true);
      expect(await encrypt.isDisabled()).toBe(true);
      await composer.getByText('Encryption is required: You are replying to an encrypted message.').waitFor();
      // The quote is the decrypted text, which stays in the renderer.
      expect(await composer.getByLabel('Message', { exact: true }).inputValue()).toContain(
        `> ${secret.text}`,
      );
      // alice is enrolled: bob's Sealmail finds her certificate in the KM directory.
      await chip(composer, alice.email).getByText('certificate ready').waitFor();
      await shot(page, '06-reply-stays-encrypted');
      await composer.getByRole('button', { name: 'Discard' }).click();
    });
  });

  it("5: after the administrator revokes alice, bob's view of her old message warns that she was revoked", async () => {
    await world.km.revoke(alice.email, 'keyCompromise');
    await deliverCrl(bob, world.km);
    await withDesktop(bob, '05-revoked', async (page) => {
      const reader = await bobOpens(page, secret.subject);
      const lines = await securityLines(reader);
      const revoked = lines.find((line) => line.includes('revoked'));
      expect(revoked).toContain(`Signed by ${alice.email}, but that certificate was revoked on`);
      expect(revoked).toContain('reason: keyCompromise');
      expect(revoked).toContain(String(new Date().getFullYear()));
      expect(lines).not.toContain(`Signed by ${alice.email} ✓`);
      await shot(page, '05-revoked-warning');
    });
  });
});
