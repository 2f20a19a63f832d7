// Alice reads her mail in Sealmail: the real renderer in Debian's Chromium, through the browser
// host, over the real services, Dovecot, Postfix and gnome-keyring. Run under
// test/support/with-keyring.sh, after building the renderer (npm run build).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  appendToInbox,
  artifacts,
  sendThroughPostfix,
  startAliceDesktop,
  withSealmail,
  waitForInbox,
  type AliceDesktop,
  type Letter,
} from './alice-desktop.js';

let desktop: AliceDesktop;
/** A stand-in for a sender's tracking server: every request it receives is a leak. */
let tracker: Server;
let trackerOrigin: string;
const trackerHits: string[] = [];

const lunch = {
  subject: 'Lunch on Friday?',
  text: 'Shall we try the new place by the river at noon? I will book a table for two.',
};

const onePixelPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** HTML that tries every usual way to run a script or fetch, all pointed at the tracker. */
function figures(origin: string): Letter {
  return {
    subject: 'Quarterly figures',
    text: 'The figures are in the HTML part.',
    html:
      '<h1>Quarterly figures</h1><p>Revenue grew by <b>twelve percent</b>.</p>' +
      '<img src="cid:chart@example.test" alt="Revenue chart">' +
      `<img src="${origin}/pixel.gif?who=alice" alt="">` +
      `<script>fetch('${origin}/script-ran');document.body.dataset.pwned='yes'</script>` +
      `<img src="x" onerror="fetch('${origin}/handler-ran')">` +
      // Other ways HTML fetches or navigates: CSS, links, media, SVG, frames, objects, forms.
      `<div style="background-image:url('${origin}/css-background')">Styled</div>` +
      `<style>@import url('${origin}/css-import'); h1 { background: url('${origin}/css-rule') }</style>` +
      `<link rel="stylesheet" href="${origin}/link-stylesheet">` +
      `<video poster="${origin}/video-poster"></video>` +
      `<svg><image href="${origin}/svg-image" width="10" height="10"></image></svg>` +
      `<iframe src="${origin}/iframe"></iframe><object data="${origin}/object"></object>` +
      `<meta http-equiv="refresh" content="0;url=${origin}/refresh">` +
      `<a href="javascript:fetch('${origin}/javascript-link')">Open</a>` +
      `<form action="${origin}/form"><button>Go</button></form>`,
    attachments: [
      { filename: 'chart.png', content: onePixelPng, contentType: 'image/png', cid: 'chart@example.test' },
    ],
  };
}

/** A header line that is neither a field nor a continuation (RFC 5322 section 2.2). */
const broken =
  'From: bob@example.test\r\nTo: alice@example.test\r\nSubject: Broken on arrival\r\n' +
  'This line is neither a header nor a continuation\r\n\r\nThe body of a damaged message.\r\n';

beforeAll(async () => {
  tracker = createServer((request, response) => {
    trackerHits.push(request.url ?? '');
    response.writeHead(200, { 'Content-Type': 'image/gif' }).end();
  });
  await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
  trackerOrigin = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;

  // This mail is in alice's INBOX before she adds her account to Sealmail; mail that arrives
  // while Sealmail is open has a test of its own.
  desktop = await startAliceDesktop('e2e-inbox', async (stack) => {
    await sendThroughPostfix(stack, 'bob', 'alice', lunch);
    await sendThroughPostfix(stack, 'bob', 'alice', figures(trackerOrigin));
    await appendToInbox(stack, 'alice', new TextEncoder().encode(broken));
    await waitForInbox(stack, 'alice', 3);
  });
});

afterAll(async () => {
  await desktop?.stop();
  await new Promise((resolve) => tracker?.close(resolve));
});

function messageList(page: Page) {
  return page.getByRole('listbox', { name: 'Messages in INBOX' });
}

function reader(page: Page) {
  return page.getByRole('region', { name: 'Reader' });
}

test("alice sees bob's message in her INBOX, opens it and reads it", async () => {
  await withSealmail(desktop, 'inbox', async ({ page }) => {
    const row = messageList(page).getByRole('option', { name: /Lunch on Friday\?/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('bob@example.test');

    await row.click();
    const body = reader(page).getByText(lunch.text);
    await body.waitFor();
    expect(await body.isVisible()).toBe(true);
    expect(await reader(page).getByRole('heading', { name: lunch.subject }).isVisible()).toBe(true);
    expect(await reader(page).getByText('Not signed or encrypted').isVisible()).toBe(true);

    await page.screenshot({ path: join(artifacts, 'inbox.png') });
  });
});

test('an HTML message runs no script and loads nothing remote; remote content is reported blocked', async () => {
  await withSealmail(desktop, 'html-message', async ({ page, requests, failures }) => {
    const row = messageList(page).getByRole('option', { name: /Quarterly figures/ });
    await row.waitFor();
    await row.click();

    const frameElement = reader(page).locator('iframe');
    await frameElement.waitFor();
    // The sandbox allows nothing (no allow-scripts, no allow-same-origin).
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const srcdoc = (await frameElement.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toContain("default-src 'none'");
    expect(srcdoc).toContain('img-src data: cid:');

    const frame = frameElement.contentFrame();
    const text = frame.getByText('Revenue grew by');
    await text.waitFor();
    expect(await text.isVisible()).toBe(true);
    expect(await frame.locator('script').count()).toBe(0);
    expect(await frame.locator('[onerror]').count()).toBe(0);
    expect(await frame.locator('body').getAttribute('data-pwned')).toBeNull();
    // The message's own image shows, from its own bytes.
    expect(await frame.getByAltText('Revenue chart').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(
      await reader(page)
        .getByText(/^Remote content blocked \(\d+ items?\)$/)
        .isVisible(),
    ).toBe(true);

    // Links keep their address as a tooltip, but cannot be followed.
    expect(await frame.getByText('Open').getAttribute('href')).toBeNull();
    // Nothing reached the tracker, and the page asked nothing of any origin but the host's.
    await page.waitForLoadState('networkidle');
    const hostOrigin = new URL(desktop.host.url).origin;
    expect(requests.length).toBeGreaterThan(0);
    const elsewhere = requests
      .filter((url) => !url.startsWith(`${hostOrigin}/`) && !url.startsWith('data:'))
      .map((url) => `${url} (${failures.get(url) ?? 'answered'})`);
    expect(elsewhere).toEqual([]);
    expect(trackerHits).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'html-message.png') });
  });
});

test('a malformed message is shown raw with a warning, and the list keeps working', async () => {
  await withSealmail(desktop, 'malformed-message', async ({ page }) => {
    const row = messageList(page).getByRole('option', { name: /Broken on arrival/ });
    await row.waitFor();
    await row.click();
    const warning = reader(page).getByRole('alert');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('This message could not be read.');
    expect(await reader(page).getByLabel('Raw message').textContent()).toContain(
      'This line is neither a header nor a continuation',
    );

    // The next message still opens as usual.
    await messageList(page)
      .getByRole('option', { name: /Lunch on Friday\?/ })
      .click();
    const body = reader(page).getByText(lunch.text);
    await body.waitFor();
    expect(await body.isVisible()).toBe(true);
  });
});

test('alice can reach and read her mail with the keyboard alone', async () => {
  await withSealmail(desktop, 'keyboard', async ({ page }) => {
    await messageList(page)
      .getByRole('option', { name: /Lunch on Friday\?/ })
      .waitFor();
    // Tab from the top of the window: the toolbar, the folders, then the message list.
    const listHasFocus = () => messageList(page).evaluate((element) => element === document.activeElement);
    let presses = 0;
    while (!(await listHasFocus())) {
      expect(++presses, 'the message list is not in the Tab order').toBeLessThan(30);
      await page.keyboard.press('Tab');
    }
    // Lunch came first, so it is the oldest and last in the list.
    await page.keyboard.press('End');
    const active = await messageList(page).getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active}"]`).textContent()).toContain(lunch.subject);
    await page.keyboard.press('Enter');
    const body = reader(page).getByText(lunch.text);
    await body.waitFor();
    expect(await body.isVisible()).toBe(true);
  });
});

test('new mail appears in the open INBOX without any action from alice', async () => {
  await withSealmail(desktop, 'new-mail', async ({ page }) => {
    await messageList(page)
      .getByRole('option', { name: /Lunch on Friday\?/ })
      .waitFor();
    // IDLE (RFC 2177) tells the services; they tell the window, which syncs the open folder.
    await sendThroughPostfix(desktop.stack, 'carol', 'alice', {
      subject: 'Minutes of the meeting',
      text: 'Attached are the minutes.',
    });
    const row = messageList(page).getByRole('option', { name: /Minutes of the meeting/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('carol@example.test');
  });
});
