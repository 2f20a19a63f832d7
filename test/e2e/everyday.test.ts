// What people expect from a mail client (issue 6): keyboard shortcuts, a help dialog for them,
// dark and light themes that persist, and a desktop notification for new mail. The real renderer
// in Debian's Chromium through the browser host, over the real services, Dovecot, Postfix and
// gnome-keyring. Run under test/support/with-keyring.sh after building the renderer.
// Screenshots: test-results/e2e/everyday-*.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  artifacts,
  sendThroughPostfix,
  startAliceDesktop,
  waitForInbox,
  withSealmail,
  type AliceDesktop,
} from './alice-desktop.js';
import { seriousProblems } from './serious-problems.js';

let desktop: AliceDesktop;

const letters = [
  { subject: 'Garden party on Sunday', text: 'Bring a chair if you have a spare one.' },
  { subject: 'Train times', text: 'The 8:12 is cancelled; take the 8:40 instead.' },
  { subject: 'Book club', text: 'We are reading the one with the lighthouse.' },
  { subject: 'Old newsletter', text: 'Nobody needs this any more.' },
];

beforeAll(async () => {
  desktop = await startAliceDesktop('e2e-everyday', async (stack) => {
    for (const letter of letters) await sendThroughPostfix(stack, 'bob', 'alice', letter);
    await waitForInbox(stack, 'alice', letters.length);
  });
}, 180_000);

afterAll(async () => {
  await desktop?.stop();
});

function messageList(page: Page, folder = 'INBOX') {
  return page.getByRole('listbox', { name: `Messages in ${folder}` });
}

function reader(page: Page) {
  return page.getByRole('region', { name: 'Reader' });
}

/** The subjects as the list shows them, top to bottom, once all the letters are there. */
async function subjectsInOrder(page: Page): Promise<string[]> {
  const options = messageList(page).getByRole('option');
  await options.nth(letters.length - 1).waitFor();
  const names = await options.allTextContents();
  return names.map((name) => letters.find((letter) => name.includes(letter.subject))?.subject ?? name);
}

/**
 * Opens Sealmail again in the same browser profile, as after a restart. (A plain reload cannot:
 * the page takes the browser host's secret out of the address bar once it has read it.)
 */
async function reopen(page: Page): Promise<void> {
  await page.goto('about:blank');
  await page.goto(desktop.host.url);
  await page
    .getByRole('button', { name: /^INBOX/ })
    .first()
    .waitFor();
}

/** The list has rows (which ones does not matter here). */
async function listShown(page: Page): Promise<void> {
  await messageList(page).getByRole('option').first().waitFor();
}

async function openBySubject(page: Page, subject: string): Promise<void> {
  await messageList(page)
    .getByRole('option', { name: new RegExp(subject) })
    .click();
  await reader(page).getByRole('heading', { name: subject }).waitFor();
}

/** The next shortcut is meant for the list: wait until the closed composer gave focus back. */
async function focusBackOnTheList(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute('role') ?? null))
    .toBe('listbox');
}

test('N opens the composer; an "r" typed in its subject is text, not Reply; R replies, F forwards', async () => {
  await withSealmail(desktop, 'everyday-compose-keys', async ({ page }) => {
    const [first] = await subjectsInOrder(page);
    await openBySubject(page, first!);

    await page.keyboard.press('n');
    const composer = page.getByRole('dialog', { name: 'New message' });
    await composer.waitFor();
    const subject = composer.getByLabel('Subject', { exact: true });
    await subject.click();
    await page.keyboard.type('radishes for Friday');
    expect(await subject.inputValue()).toBe('radishes for Friday');
    // Still the one new message: no reply opened over it, nothing else took the keys.
    expect(await page.getByRole('dialog').count()).toBe(1);
    await page.keyboard.press('Escape');
    await composer.waitFor({ state: 'detached' });

    // Focus goes back to the list, where R answers the open message.
    await focusBackOnTheList(page);
    await page.keyboard.press('r');
    const reply = page.getByRole('dialog', { name: `Re: ${first}` });
    await reply.waitFor();
    expect(await reply.getByLabel('Subject', { exact: true }).inputValue()).toBe(`Re: ${first}`);
    await page.keyboard.press('Escape');
    await reply.waitFor({ state: 'detached' });

    await focusBackOnTheList(page);
    await page.keyboard.press('f');
    const forward = page.getByRole('dialog', { name: `Fwd: ${first}` });
    await forward.waitFor();
    await page.keyboard.press('Escape');
    await forward.waitFor({ state: 'detached' });
  });
});

test('J and K open the next and the previous message of the list', async () => {
  await withSealmail(desktop, 'everyday-next-previous', async ({ page }) => {
    const order = await subjectsInOrder(page);
    await openBySubject(page, order[0]!);
    await page.keyboard.press('j');
    await reader(page).getByRole('heading', { name: order[1]! }).waitFor();
    await page.keyboard.press('j');
    await reader(page).getByRole('heading', { name: order[2]! }).waitFor();
    await page.keyboard.press('k');
    await reader(page).getByRole('heading', { name: order[1]! }).waitFor();
    const selected = messageList(page).getByRole('option', { selected: true });
    expect(await selected.textContent()).toContain(order[1]!);
  });
});

test('? shows the keyboard shortcuts in a modal dialog; while it is open, N does nothing', async () => {
  await withSealmail(desktop, 'everyday-shortcuts-help', async ({ page }) => {
    await subjectsInOrder(page);
    const list = messageList(page);
    await list.focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    // A modal <dialog> (showModal), described, with the keys in a table.
    expect(await help.evaluate((dialog) => dialog.matches(':modal'))).toBe(true);
    expect(await help.getAttribute('aria-describedby')).toBe('shortcuts-note');
    for (const what of ['New message', 'Reply', 'Reply all', 'Forward', 'Move the open message to Trash'])
      expect(await help.getByRole('cell', { name: what, exact: true }).isVisible(), what).toBe(true);
    expect(
      await help.getByRole('button', { name: 'Close' }).evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await page.screenshot({ path: join(artifacts, 'everyday-shortcuts-help.png') });
    expect(await seriousProblems(page, 'dialog[aria-labelledby="shortcuts-title"]')).toEqual([]);

    await page.keyboard.press('n');
    expect(await page.getByRole('dialog', { name: 'New message' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    expect(await list.evaluate((element) => element === document.activeElement)).toBe(true);
  });
});

test('Delete moves the open message to Trash and opens the next one', async () => {
  await withSealmail(desktop, 'everyday-delete', async ({ page }) => {
    const order = await subjectsInOrder(page);
    const doomed = 'Old newsletter';
    const after = order[order.indexOf(doomed) + 1] ?? order[order.indexOf(doomed) - 1]!;
    await openBySubject(page, doomed);
    await page.keyboard.press('Delete');
    await page.getByRole('status').filter({ hasText: 'Moved to Trash.' }).waitFor();
    await messageList(page)
      .getByRole('option', { name: new RegExp(doomed) })
      .waitFor({ state: 'detached' });
    await reader(page).getByRole('heading', { name: after }).waitFor();

    await page.getByRole('button', { name: /^Trash/ }).click();
    await messageList(page, 'Trash')
      .getByRole('option', { name: new RegExp(doomed) })
      .waitFor();
  });
});

/** The computed background of the page, as the user sees it. */
function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

const white = 'rgb(255, 255, 255)';
const dark = 'rgb(23, 25, 29)';

test('the theme follows the system until alice picks Light or Dark, and her pick survives a restart', async () => {
  await withSealmail(desktop, 'everyday-themes', async ({ page }) => {
    const theme = page.getByLabel('Theme');
    expect(await theme.inputValue()).toBe('system');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background(page)).toBe(white);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(page)).toBe(dark);

    // On a light system, alice picks Dark.
    await page.emulateMedia({ colorScheme: 'light' });
    await theme.selectOption('dark');
    expect(await background(page)).toBe(dark);
    await listShown(page);
    await page.screenshot({ path: join(artifacts, 'everyday-dark.png') });
    // Contrast (WCAG 1.4.3) and the rest, with Dark pinned on a light system.
    expect(await seriousProblems(page)).toEqual([]);

    await reopen(page);
    expect(await page.getByLabel('Theme').inputValue()).toBe('dark');
    expect(await background(page)).toBe(dark);

    // On a dark system, alice picks Light.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByLabel('Theme').selectOption('light');
    expect(await background(page)).toBe(white);
    await listShown(page);
    await page.screenshot({ path: join(artifacts, 'everyday-light.png') });
    expect(await seriousProblems(page)).toEqual([]);
    await reopen(page);
    expect(await background(page)).toBe(white);

    // System again: the system's dark scheme applies.
    await page.getByLabel('Theme').selectOption('system');
    expect(await background(page)).toBe(dark);
  });
});

/** What the page showed, recorded by the stand-in notification centre below. */
interface Recorded {
  title: string;
  body: string;
}

test('new mail raises a desktop notification without its content; a click opens the INBOX', async () => {
  await withSealmail(desktop, 'everyday-notification', async ({ page }) => {
    const context = page.context();
    await context.grantPermissions(['notifications'], { origin: new URL(desktop.host.url).origin });
    // A STAND-IN for the OS notification centre: the page's own Notification API still runs (and
    // Chromium still checks the permission), but each notification is also recorded so the test
    // can read it and click it.
    await context.addInitScript(() => {
      const Real = window.Notification;
      const shown: Array<{ title: string; body: string; notification: Notification }> = [];
      class Recording extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body ?? '', notification: this });
        }
      }
      Object.assign(window, { shownNotifications: shown, Notification: Recording });
    });
    await reopen(page);
    const shown = () =>
      page.evaluate(() =>
        (window as unknown as { shownNotifications: Recorded[] }).shownNotifications.map(
          ({ title, body }) => ({
            title,
            body,
          }),
        ),
      );

    const notify = page.getByLabel('Notify me of new mail');
    expect(await notify.isChecked()).toBe(false);
    await notify.check();
    expect(await notify.isChecked()).toBe(true);
    // Remembered across a restart of the window.
    await reopen(page);
    expect(await page.getByLabel('Notify me of new mail').isChecked()).toBe(true);

    // Alice is looking at Trash when carol's confidential letter arrives in the INBOX.
    await page.getByRole('button', { name: /^Trash/ }).click();
    await messageList(page, 'Trash').waitFor();
    await sendThroughPostfix(desktop.stack, 'carol', 'alice', {
      subject: 'Salaries for next year',
      text: 'Please keep this between us.',
    });
    await page.waitForFunction(
      () => (window as unknown as { shownNotifications: Recorded[] }).shownNotifications.length > 0,
    );
    const [notice] = await shown();
    expect(notice).toEqual({ title: 'New mail in INBOX (1)', body: desktop.account.email });
    expect(JSON.stringify(await shown())).not.toMatch(/Salaries|carol|between us/);
    await page.screenshot({ path: join(artifacts, 'everyday-notification.png') });

    await page.evaluate(() =>
      (
        window as unknown as { shownNotifications: Array<{ notification: Notification }> }
      ).shownNotifications[0]!.notification.dispatchEvent(new Event('click')),
    );
    await page.locator('button[aria-current="true"]', { hasText: 'INBOX' }).waitFor();
    await messageList(page)
      .getByRole('option', { name: /Salaries for next year/ })
      .waitFor();
  });
});
