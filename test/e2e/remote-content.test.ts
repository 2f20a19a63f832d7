// Issue 6, Reader: remote content in unencrypted mail stays blocked until alice clicks "Load
// remote content"; then main fetches the images (the page never reaches the network) and the
// frame shows them as data: URLs. Policy RemoteContent 'block' takes the button away.
// Real renderer in Chromium through the browser host, real Dovecot and Postfix, and a real HTTP
// server standing in for the sender's image host.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
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

// A 2×1 PNG (red, blue), so naturalWidth shows the real picture arrived.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAD0lEQVR4nGP4z8DAwPAfAAcAAf9+CLHQAAAAAElFTkSuQmCC',
  'base64',
);

let desktop: AliceDesktop;
let images: Server;
let imageOrigin: string;
const imageRequests: string[] = [];
// The system policy file (SEALMAIL_POLICY_FILE), read again whenever the page asks policy.get.
let policyDir: string;
let policyFile: string;

const setPolicy = (policies: Record<string, unknown>) =>
  writeFileSync(policyFile, JSON.stringify({ policies }));

beforeAll(async () => {
  images = createServer((request, response) => {
    imageRequests.push(request.url ?? '');
    response.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  imageOrigin = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  policyDir = mkdtempSync(join(tmpdir(), 'sealmail-remote-policy-'));
  policyFile = join(policyDir, 'system-policy.json');
  setPolicy({});
  // Read when the services are created (electron/services/policy/policy-locations.ts); this
  // file runs in a process of its own.
  process.env['SEALMAIL_POLICY_FILE'] = policyFile;
  desktop = await startAliceDesktop('e2e-remote-content', async (stack) => {
    await sendThroughPostfix(stack, 'bob', 'alice', {
      subject: 'Our new logo',
      text: 'The logo is in the HTML part.',
      html: `<p>Here is the new logo:</p><img src="${imageOrigin}/pixel.png" alt="New logo" width="160" height="80" style="image-rendering:pixelated">`,
    });
    await waitForInbox(stack, 'alice', 1);
  });
});

afterAll(async () => {
  await desktop?.stop();
  await new Promise((resolve) => images?.close(resolve));
  delete process.env['SEALMAIL_POLICY_FILE'];
  if (policyDir) rmSync(policyDir, { recursive: true, force: true });
});

const reader = (page: Page) => page.getByRole('region', { name: 'Reader' });

async function openLogoMail(page: Page) {
  await page
    .getByRole('listbox', { name: 'Messages in INBOX' })
    .getByRole('option', { name: /Our new logo/ })
    .click();
  const frameElement = reader(page).locator('iframe');
  await frameElement.waitFor();
  const frame = frameElement.contentFrame();
  await frame.getByText('Here is the new logo:').waitFor();
  return frame;
}

test('remote images load only when alice asks, through main, once', async () => {
  setPolicy({});
  await withSealmail(desktop, 'remote-content', async ({ page, requests }) => {
    const frame = await openLogoMail(page);
    await reader(page).getByText('Remote content blocked (1 item)').waitFor();
    const button = reader(page).getByRole('button', { name: 'Load remote content' });
    await button.waitFor();
    expect(await frame.getByAltText('New logo').getAttribute('src')).toBeNull();
    expect(imageRequests).toEqual([]);

    await button.click();
    const logo = frame.getByAltText('New logo');
    await expect.poll(() => logo.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => logo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(2);
    expect(imageRequests).toEqual(['/pixel.png']);
    expect(await button.count()).toBe(0);
    // The page itself asked nothing of the image server: main fetched it.
    expect(requests.filter((url) => url.startsWith(imageOrigin))).toEqual([]);
    await page.screenshot({ path: join(artifacts, '09-remote-content.png') });
  });
});

test("with policy RemoteContent 'block' there is no button and nothing is fetched", async () => {
  setPolicy({ RemoteContent: { Value: 'block', Locked: true } });
  const before = imageRequests.length;
  await withSealmail(desktop, 'remote-content-blocked', async ({ page }) => {
    await openLogoMail(page);
    await reader(page).getByText('Your organisation does not allow loading remote content.').waitFor();
    expect(await reader(page).getByRole('button', { name: 'Load remote content' }).count()).toBe(0);
    expect(imageRequests.length).toBe(before);
  });
});
