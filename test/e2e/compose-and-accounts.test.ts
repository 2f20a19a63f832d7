// Alice writes mail and adds accounts in Sealmail: the composer sends through the real outbox
// and Postfix, and the account form stores passwords in the real keyring. The renderer runs in
// Debian's Chromium through the browser host. Run under test/support/with-keyring.sh, after
// building the renderer (npm run build).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { MailStack, MailUser } from '../support/mailstack.js';
import {
  newestInInbox,
  artifacts,
  startAliceDesktop,
  withSealmail,
  waitForInbox,
  type AliceDesktop,
} from './alice-desktop.js';

let desktop: AliceDesktop;

beforeAll(async () => {
  desktop = await startAliceDesktop('e2e-compose');
});

afterAll(async () => {
  await desktop?.stop();
});

function composer(page: Page) {
  return page.getByRole('dialog', { name: 'New message' });
}

async function fillAccountForm(page: Page, stack: MailStack, user: MailUser, name: string, password: string) {
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Account name', { exact: true }).fill(name);
  await page.getByLabel('E-mail address', { exact: true }).fill(stack.email(user));
  await page.getByLabel('Password', { exact: true }).fill(password);
  const incoming = page.getByRole('group', { name: 'Incoming mail (IMAP)' });
  await incoming.getByLabel('Server', { exact: true }).fill('127.0.0.1');
  await incoming.getByLabel('Port', { exact: true }).fill(String(stack.ports.imaps));
  await incoming.getByLabel('Security', { exact: true }).selectOption('tls');
  const outgoing = page.getByRole('group', { name: 'Outgoing mail (SMTP)' });
  await outgoing.getByLabel('Server', { exact: true }).fill('127.0.0.1');
  await outgoing.getByLabel('Port', { exact: true }).fill(String(stack.ports.submission));
  await outgoing.getByLabel('Security', { exact: true }).selectOption('starttls');
  // The test servers' certificate is self-signed: trust it for this account only.
  await page.getByText('Trust a certificate authority for these servers').click();
  await page.getByLabel(/Certificate \(PEM\)/).fill(stack.caPem);
  await page.getByRole('button', { name: 'Add account' }).last().click();
}

test('alice writes to bob with an attachment; it leaves through the Outbox and reaches bob and carol', async () => {
  await withSealmail(desktop, 'composer', async ({ page }) => {
    const newMessage = page.getByRole('button', { name: 'New message' });
    await newMessage.click();
    const dialog = composer(page);
    await dialog.getByLabel('To', { exact: true }).fill(desktop.stack.email('bob'));
    await dialog.getByLabel('Cc', { exact: true }).fill(desktop.stack.email('carol'));
    await dialog.getByLabel('Subject', { exact: true }).fill('Agenda for Monday');
    await dialog.getByLabel('Message', { exact: true }).fill('Here is the agenda. Please add your items.');
    await dialog.getByLabel('Attachments', { exact: true }).setInputFiles({
      name: 'agenda.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('1. Budget\n2. Hiring\n'),
    });
    await dialog.getByRole('button', { name: 'Send' }).click();

    // The composer closes and gives focus back to the button that opened it.
    await dialog.waitFor({ state: 'detached' });
    expect(await newMessage.evaluate((element) => element === document.activeElement)).toBe(true);
    const outbox = page.getByRole('region', { name: 'Outbox' });
    await outbox.getByText('Agenda for Monday').waitFor();
    await outbox.getByText('Sent', { exact: true }).waitFor();

    await waitForInbox(desktop.stack, 'bob', 1);
    const received = await newestInInbox(desktop.stack, 'bob');
    expect(received).toContain('Subject: Agenda for Monday');
    expect(received).toMatch(/filename="?agenda\.txt"?/);
    expect(received).toContain('Here is the agenda. Please add your items.');
    await waitForInbox(desktop.stack, 'carol', 1);
    expect(await newestInInbox(desktop.stack, 'carol')).toContain('Subject: Agenda for Monday');
  });
});

test('the composer says in plain words what is wrong with the recipients', async () => {
  await withSealmail(desktop, 'composer-recipients', async ({ page }) => {
    await page.getByRole('button', { name: 'New message' }).click();
    const dialog = composer(page);
    await dialog.getByLabel('Subject', { exact: true }).fill('No one to send to');
    await dialog.getByRole('button', { name: 'Send' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('Add at least one recipient.');

    await dialog.getByLabel('To', { exact: true }).fill('bob');
    await dialog.getByRole('button', { name: 'Send' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('"bob" is not an e-mail address.');

    await dialog.getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('region', { name: 'Outbox' }).getByText('No one to send to').count()).toBe(0);
  });
});

test("alice adds carol's account through the form and sees carol's INBOX", async () => {
  await withSealmail(desktop, 'add-account', async ({ page }) => {
    await fillAccountForm(page, desktop.stack, 'carol', 'Carol e2e-compose', desktop.stack.password('carol'));
    await page.getByRole('heading', { name: 'Carol e2e-compose' }).waitFor();
    // The new account's INBOX opens, with the message alice copied to carol.
    const row = page
      .getByRole('listbox', { name: 'Messages in INBOX' })
      .getByRole('option', { name: /Agenda for Monday/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('alice@example.test');
  });
});

test('an account with a wrong password is reported in plain words', async () => {
  await withSealmail(desktop, 'wrong-password', async ({ page }) => {
    await fillAccountForm(page, desktop.stack, 'bob', 'Bob e2e-compose', 'not-bob-pass');
    await page.getByRole('heading', { name: /Bob e2e-compose/ }).waitFor();
    const problem = page.getByText('The server did not accept the user name or password.').first();
    await problem.waitFor();
    expect(await problem.textContent()).toContain(`authentication failed for ${desktop.stack.email('bob')}`);
    await page.screenshot({ path: join(artifacts, 'wrong-password.png') });
  });
});

test('with the mail server down, a message waits in the Outbox, says why, and goes when alice retries', async () => {
  await desktop.stack.stopPostfix();
  let postfixRunning = false;
  try {
    await withSealmail(desktop, 'outbox-retry', async ({ page }) => {
      await page.getByRole('button', { name: 'New message' }).click();
      const dialog = composer(page);
      await dialog.getByLabel('To', { exact: true }).fill(desktop.stack.email('carol'));
      await dialog.getByLabel('Subject', { exact: true }).fill('Sent once the server is back');
      await dialog.getByLabel('Message', { exact: true }).fill('This waited in the Outbox.');
      await dialog.getByRole('button', { name: 'Send' }).click();

      const item = page
        .getByRole('region', { name: 'Outbox' })
        .getByRole('listitem')
        .filter({ hasText: 'Sent once the server is back' });
      // The first automatic retry is at least 15 s away (retry-schedule.ts), so alice retries first.
      // Read as text: the Outbox sits low in the side bar, and what matters is what it says.
      await expect.poll(() => item.textContent(), { timeout: 60_000 }).toMatch(/Will try again/);
      expect(await item.textContent()).toMatch(/could not be reached|busy|refused/i);

      await desktop.stack.startPostfix();
      postfixRunning = true;
      await item.getByRole('button', { name: 'Retry now' }).click();
      await item.getByText('Sent', { exact: true }).waitFor();
    });
  } finally {
    if (!postfixRunning) await desktop.stack.startPostfix();
  }
  await waitForInbox(desktop.stack, 'carol', 2);
  expect(await newestInInbox(desktop.stack, 'carol')).toContain('Subject: Sent once the server is back');
});
