// Issue 7, Done-when (end to end): with the sample policy installed as the system policy
// (docs/sample-policies.json, its KM pointed at the test KM), in Chromium through the browser
// host against the real Dovecot, Postfix and KM:
// - a subject containing "Confidential" turns encryption on and locks it;
// - a message over the size limit is refused with a clear error when the file is attached, so
//   before any crypto work;
// - a blocked attachment type is refused;
// - with "Send unencrypted" disabled, the send dialog offers only Remove and Cancel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts } from './alice-desktop.js';
import {
  deliverCrl,
  enrollWithWizard,
  startSecureWorld,
  withDesktop,
  writeMessage,
  type Desktop,
  type SecureWorld,
} from './secure-desktop.js';

const password = 'alice follows the policy 2026';
let world: SecureWorld;
let alice: Desktop;

beforeAll(async () => {
  world = await startSecureWorld('policy');
  const policy = JSON.parse(
    readFileSync(new URL('../../docs/sample-policies.json', import.meta.url), 'utf8'),
  ) as { policies: Record<string, unknown> };
  policy.policies['KeyManagement'] = {
    Value: { URL: world.km.url, CACertificate: world.km.caPem },
    Locked: true,
  };
  alice = await world.desktop('alice', { systemPolicy: policy });
  await enrollWithWizard(alice, world.km, password, 'policy-enroll-failed');
  await deliverCrl(alice, world.km);
}, 300_000);

afterAll(async () => {
  await world?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

const compose = (page: Page, to: string[], subject: string) =>
  writeMessage(page, to, { subject, text: 'Figures for the quarter.' });

const encryptToggle = (composer: Locator) =>
  composer.getByLabel('Encrypt message contents and attachments', { exact: true });

describe('the sample policy in the desktop', () => {
  it('a subject containing "Confidential" turns encryption on and locks it', async () => {
    await withDesktop(alice, 'policy-confidential-failed', async (page) => {
      const composer = await compose(page, [alice.email], 'Quarterly figures');
      const encrypt = encryptToggle(composer);
      expect(await encrypt.isChecked()).toBe(false);
      expect(await encrypt.isEnabled()).toBe(true);
      await composer.getByLabel('Subject', { exact: true }).fill('Confidential: quarterly figures');
      await expect.poll(() => encrypt.isChecked()).toBe(true);
      expect(await encrypt.isDisabled()).toBe(true);
      await composer.getByText('Encryption is required: The subject contains "Confidential".').waitFor();
      await shot(page, '07-policy-confidential-locked');
    });
  });

  it('refuses an attachment that takes the message over 10 MB, and a blocked file type', async () => {
    await withDesktop(alice, 'policy-attachments-failed', async (page) => {
      const composer = await compose(page, [alice.email], 'Scans');
      const picker = composer.getByLabel('Attachments', { exact: true });
      await picker.setInputFiles({
        name: 'scans.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.alloc(11 * 1024 * 1024, 0x25),
      });
      const alert = composer.getByRole('alert');
      await alert
        .getByText(/"scans\.pdf" \(11 MB\) cannot be attached: a message may be at most 10 MB/)
        .waitFor();
      await picker.setInputFiles({
        name: 'run.js',
        mimeType: 'text/javascript',
        buffer: Buffer.from('1;\n'),
      });
      await alert
        .getByText(
          /"run\.js" cannot be attached\. Your organisation does not allow attaching run\.js \(blocked file types: [^)]*\.js/,
        )
        .waitFor();
      expect(await composer.getByRole('list', { name: 'Attached files' }).getByRole('listitem').count()).toBe(
        0,
      );
      await shot(page, '07-policy-attachment-refused');
    });
  });

  it('with "Send unencrypted" disabled, the send dialog offers only Remove and Cancel', async () => {
    await withDesktop(alice, 'policy-send-dialog-failed', async (page) => {
      const carol = world.stack.email('carol');
      const composer = await compose(page, [alice.email, carol], 'Confidential: offsite plans');
      await composer.locator(`li[data-address="${carol}"]`).getByText('no certificate').waitFor();
      await expect.poll(() => encryptToggle(composer).isChecked()).toBe(true);
      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: /cannot receive encrypted mail/ });
      await dialog.waitFor();
      const buttons = (await dialog.getByRole('button').allTextContents()).map((text) => text.trim());
      expect(buttons).toEqual(['Remove these recipients', 'Cancel']);
      await shot(page, '07-policy-send-dialog');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });
  });
});
