// Issue 6 follow-up: Bcc with encryption must not show Bcc recipients to the others. An
// enveloped message names everyone it is encrypted to (a RecipientInfo with the certificate's
// issuer and serial number, RFC 5652 §6.2.1), so alice's message to bob with carol in Bcc goes as
// two copies: bob's, encrypted to bob and alice, and carol's, encrypted to carol and alice. Sent
// keeps one copy. Real Dovecot, Postfix and KM; alice, bob and carol enrolled through the wizard.
// Also: a send opens the key file once (medium: the prompt's unlock is kept for sealing; high:
// the password goes with the seal, no separate unlock), counted on the page's real WebSocket.
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readEnvelope } from '../../core/smime/envelope/read-envelope.js';
import type { MailUser } from '../support/mailstack.js';
import { artifacts, newestInInbox, waitForInbox } from './alice-desktop.js';
import {
  deliverCrl,
  enrollWithWizard,
  openInReader,
  startSecureWorld,
  tellKm,
  withDesktop,
  type Desktop,
  type SecureWorld,
} from './secure-desktop.js';

const passwords: Record<'alice' | 'bob' | 'carol', string> = {
  alice: 'alice keeps her key here 2026',
  bob: 'bob keeps his key here 2026',
  carol: 'carol keeps her key here 2026',
};
const letter = { subject: 'Board minutes', text: 'The minutes of the board meeting are attached below.' };

let world: SecureWorld;
const desktops: Partial<Record<'alice' | 'bob' | 'carol', Desktop>> = {};

function desktopOf(user: 'alice' | 'bob' | 'carol'): Desktop {
  const desktop = desktops[user];
  if (!desktop) throw new Error(`${user} has no desktop`);
  return desktop;
}

beforeAll(async () => {
  world = await startSecureWorld('secure-bcc');
  for (const user of ['alice', 'bob', 'carol'] as const) {
    // carol's organisation asks for the password every time (seed 004's "high" profile).
    const desktop = await world.desktop(
      user,
      user === 'carol'
        ? { systemPolicy: { policies: { SecurityProfile: { Value: { Level: 'high' }, Locked: true } } } }
        : {},
    );
    desktops[user] = desktop;
    await tellKm(desktop, world.km);
    await enrollWithWizard(desktop, world.km, passwords[user], `secure-bcc-enroll-${user}`);
    await deliverCrl(desktop, world.km);
  }
}, 400_000);

afterAll(async () => {
  await world?.stop();
});

async function withImap<T>(user: MailUser, action: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: world.stack.ports.imaps,
    secure: true,
    auth: { user: world.stack.email(user), pass: world.stack.password(user) },
    tls: { ca: world.stack.caPem },
    logger: false,
  });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.logout();
  }
}

/** The serial number (hex) of `user`'s current encryption certificate, as Settings shows it. */
async function encryptionSerial(user: 'alice' | 'bob' | 'carol'): Promise<string> {
  const desktop = desktopOf(user);
  const status = await desktop.services.security.status(desktop.account.id);
  const own = status.certificates.find((certificate) => certificate.role === 'encryption');
  if (!own) throw new Error(`${user} has no encryption certificate`);
  return own.serial.toLowerCase().replace(/^0+/, '');
}

/**
 * The RecipientInfos of a delivered application/pkcs7-mime message, each as hex DER. The
 * IssuerAndSerialNumber inside names the certificate (the serial's bytes appear as they are).
 */
function recipientInfosOf(raw: string): string[] {
  const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const der = Buffer.from(raw.slice(split).replace(/\s+/g, ''), 'base64');
  return readEnvelope(new Uint8Array(der)).recipientInfos.map((info) =>
    Buffer.from(info.toBER(false)).toString('hex'),
  );
}

function names(infos: string[], serial: string): boolean {
  return infos.some((info) => info.includes(serial));
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

/**
 * Records the channels the page invokes over its WebSocket to the host (the crypto worker's
 * 'keyfile.read' goes through the page too). The page is loaded again (the host's address carries
 * the secret, which the page takes out of the address bar) so the listener sees the socket.
 */
async function recordInvocations(page: Page, desktop: Desktop): Promise<string[]> {
  const channels: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const match = /"channel":"([a-zA-Z.]+)"/.exec(String(payload));
      if (match?.[1]) channels.push(match[1]);
    }),
  );
  await page.goto('about:blank');
  await page.goto(desktop.host.url);
  await page
    .getByRole('button', { name: /^INBOX/ })
    .first()
    .waitFor();
  return channels;
}

/** Fills the composer: `to` and `bcc` as chips (each must show "certificate ready"), Encrypt on. */
async function writeEncrypted(
  page: Page,
  recipients: { to: string[]; bcc: string[] },
  message: { subject: string; text: string },
) {
  await page.getByRole('button', { name: 'New message' }).click();
  const composer = page.getByRole('dialog', { name: 'New message' });
  for (const [label, addresses] of [
    ['To', recipients.to],
    ['Bcc', recipients.bcc],
  ] as const) {
    for (const address of addresses) {
      const box = composer.getByLabel(label, { exact: true });
      await box.fill(address);
      await box.press('Enter');
      await composer.locator(`li[data-address="${address}"]`).getByText('certificate ready').waitFor();
    }
  }
  await composer.getByLabel('Subject', { exact: true }).fill(message.subject);
  await composer.getByLabel('Message', { exact: true }).fill(message.text);
  await composer.getByLabel('Encrypt message contents and attachments', { exact: true }).check();
  return composer;
}

async function sendWithPassword(page: Page, password: string): Promise<void> {
  const composer = page.getByRole('dialog', { name: 'New message' });
  await composer.getByRole('button', { name: 'Send', exact: true }).click();
  const prompt = page.getByRole('dialog', { name: 'Enter your key-file password' });
  await prompt.getByLabel('Key-file password', { exact: true }).fill(password);
  await prompt.getByRole('button', { name: 'Send' }).click();
  // The send shows its steps on a determinate bar, in words, until the message is sent.
  await composer.getByRole('progressbar').first().waitFor();
  await composer.waitFor({ state: 'detached', timeout: 120_000 });
}

it(
  'bob cannot see that carol was in Bcc; carol can read her copy; Sent keeps one copy',
  { timeout: 240_000 },
  async () => {
    const alice = desktopOf('alice');
    const bob = desktopOf('bob');
    const carol = desktopOf('carol');
    await withDesktop(alice, 'bcc-send', async (page) => {
      const invoked = await recordInvocations(page, alice);
      await writeEncrypted(page, { to: [bob.email], bcc: [carol.email] }, letter);
      invoked.length = 0;
      await sendWithPassword(page, passwords.alice);
      // Two copies sealed, and the key file opened once: by the prompt's unlock (medium profile).
      expect(invoked.filter((channel) => channel === 'keyfile.read')).toHaveLength(1);
      expect(invoked.filter((channel) => channel === 'mail.sendSealed')).toHaveLength(2);
      await shot(page, 'bcc-sent');
    });

    await waitForInbox(world.stack, 'bob', 1);
    await waitForInbox(world.stack, 'carol', 1);
    const [aliceSerial, bobSerial, carolSerial] = await Promise.all([
      encryptionSerial('alice'),
      encryptionSerial('bob'),
      encryptionSerial('carol'),
    ]);

    const bobsCopy = await newestInInbox(world.stack, 'bob');
    expect(bobsCopy).toMatch(/smime-type="?enveloped-data/);
    expect(bobsCopy).not.toContain(carol.email);
    const bobsInfos = recipientInfosOf(bobsCopy);
    expect(bobsInfos).toHaveLength(2);
    expect(names(bobsInfos, bobSerial)).toBe(true);
    expect(names(bobsInfos, aliceSerial)).toBe(true);
    expect(names(bobsInfos, carolSerial)).toBe(false);

    const carolsCopy = await newestInInbox(world.stack, 'carol');
    const carolsInfos = recipientInfosOf(carolsCopy);
    expect(carolsInfos).toHaveLength(2);
    expect(names(carolsInfos, carolSerial)).toBe(true);
    expect(names(carolsInfos, aliceSerial)).toBe(true);
    expect(names(carolsInfos, bobSerial)).toBe(false);

    // Carol opens her copy with her own key.
    await withDesktop(carol, 'bcc-carol-reads', async (page) => {
      const reader = await openInReader(page, letter.subject);
      await reader.getByLabel('Key-file password', { exact: true }).fill(passwords.carol);
      await reader.getByRole('button', { name: 'Open' }).click();
      await reader.getByText(letter.text).waitFor({ timeout: 60_000 });
      await shot(page, 'bcc-carol-reads');
    });

    // Sent holds exactly one copy: the main one, which names bob (and alice), not carol.
    const sent = await withImap('alice', async (client) => {
      const folders = await client.list();
      const folder =
        folders.find((box) => box.specialUse === '\\Sent') ?? folders.find((box) => box.path === 'Sent');
      if (!folder) throw new Error('alice has no Sent folder');
      const lock = await client.getMailboxLock(folder.path);
      try {
        const sources: string[] = [];
        for await (const message of client.fetch('1:*', { source: true })) {
          if (message.source) sources.push(message.source.toString('utf8'));
        }
        return sources;
      } finally {
        lock.release();
      }
    });
    const copies = sent.filter((source) => source.includes(letter.subject));
    expect(copies).toHaveLength(1);
    const sentInfos = recipientInfosOf(copies[0] ?? '');
    expect(names(sentInfos, bobSerial)).toBe(true);
    expect(names(sentInfos, carolSerial)).toBe(false);
  },
);

it(
  'under the "high" profile the password goes with the seal: the key file is opened once',
  { timeout: 240_000 },
  async () => {
    const carol = desktopOf('carol');
    const bob = desktopOf('bob');
    const note = { subject: 'High profile', text: 'Sealed with the key file opened only once.' };
    await withDesktop(carol, 'high-profile-send', async (page) => {
      const invoked = await recordInvocations(page, carol);
      await writeEncrypted(page, { to: [bob.email], bcc: [] }, note);
      invoked.length = 0;
      await sendWithPassword(page, passwords.carol);
      expect(invoked.filter((channel) => channel === 'keyfile.read')).toHaveLength(1);
      expect(invoked.filter((channel) => channel === 'mail.sendSealed')).toHaveLength(1);
    });
    await waitForInbox(world.stack, 'bob', 2);
    expect(await newestInInbox(world.stack, 'bob')).toContain(note.subject);
  },
);
