// Issue 6, Reader: in encrypted mail remote content stays blocked with no way to load it, since
// loading it would tell the sender when the message was read. bob's mail is encrypted to alice's
// enrolled certificate with openssl cms (RFC 8551), as another S/MIME client would send it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendToInbox, artifacts } from './alice-desktop.js';
import {
  enrollWithWizard,
  openInReader,
  startSecureWorld,
  withDesktop,
  type Desktop,
  type SecureWorld,
} from './secure-desktop.js';

const password = 'alice reads in private 2026';
const subject = 'Encrypted logo';
let world: SecureWorld;
let alice: Desktop;
let images: Server;
const imageRequests: string[] = [];
let workDir: string;

beforeAll(async () => {
  images = createServer((request, response) => {
    imageRequests.push(request.url ?? '');
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const imageOrigin = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  world = await startSecureWorld('remote-encrypted');
  alice = await world.desktop('alice');
  await enrollWithWizard(alice, world.km, password, 'remote-encrypted-enroll-failed');

  const status = await alice.services.security.status(alice.account.id);
  const certificate = status.certificates.find((view) => view.role === 'encryption');
  if (!certificate) throw new Error('alice has no encryption certificate after enrolling');
  workDir = mkdtempSync(join(tmpdir(), 'sealmail-remote-encrypted-'));
  const pem =
    '-----BEGIN CERTIFICATE-----\n' +
    (
      Buffer.from(certificate.der)
        .toString('base64')
        .match(/.{1,64}/g) ?? []
    ).join('\n') +
    '\n-----END CERTIFICATE-----\n';
  writeFileSync(join(workDir, 'alice.pem'), pem);
  writeFileSync(
    join(workDir, 'content.txt'),
    'Content-Type: text/html; charset=utf-8\r\n\r\n' +
      `<p>The secret logo:</p><img src="${imageOrigin}/pixel.png" alt="Secret logo">\r\n`,
  );
  execFileSync('openssl', [
    'cms',
    '-encrypt',
    '-aes256',
    '-in',
    join(workDir, 'content.txt'),
    '-out',
    join(workDir, 'sealed.eml'),
    '-from',
    alice.email.replace('alice', 'bob'),
    '-to',
    alice.email,
    '-subject',
    subject,
    join(workDir, 'alice.pem'),
  ]);
  await appendToInbox(world.stack, 'alice', readFileSync(join(workDir, 'sealed.eml')));
}, 300_000);

afterAll(async () => {
  await world?.stop();
  await new Promise((resolve) => images?.close(resolve));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

it('encrypted mail keeps remote content blocked and offers no button', async () => {
  await withDesktop(alice, 'remote-content-encrypted-failed', async (page) => {
    const reader = await openInReader(page, subject);
    await reader.getByLabel('Key-file password', { exact: true }).fill(password);
    await reader.getByRole('button', { name: 'Open' }).click();
    const frame = reader.locator('iframe').contentFrame();
    await frame.getByText('The secret logo:').waitFor({ timeout: 60_000 });
    await reader
      .getByText(
        'Remote content stays blocked in encrypted mail: loading it would tell the sender when you read the message.',
      )
      .waitFor();
    expect(await reader.getByRole('button', { name: 'Load remote content' }).count()).toBe(0);
    expect(imageRequests).toEqual([]);
    await page.screenshot({ path: join(artifacts, '09-remote-content-encrypted.png') });
  });
});
