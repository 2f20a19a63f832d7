// "Renew" through the crypto worker against the real main side (issue 6, seed 003): the page's
// CryptoClient and the worker's serveCryptoCalls talk over a MessageChannel, the page answers the
// worker's IPC through the window's handler table (createHandlerTable(createAppServices(...))),
// and main relays EST simplereenroll to a real KM over TLS with no client certificate: the
// request is signed by the current signing key inside the worker, then serverkeygen for a NEW
// encryption key, signed by the new signing key. alice enrolled 340 days ago (the KM's clock
// moved back), so both certificates end soon and the status says so; after renewal the status is
// Active, mail encrypted before still opens with the old encryption key, new mail to alice is
// encrypted to the new certificate the KM directory serves and opens, and openssl opens the new
// key file with the same password.
// Run under test/support/with-keyring.sh: adding an account stores its password in the keychain.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type RunningAppServices } from '../../electron/main/create-app-services.js';
import type { SealmailHome } from '../../electron/services/home.js';
import { keyFilePath } from '../../electron/services/security/security-profile.js';
import { enableMailbox } from '../../km/mailbox/admin-operations.js';
import { startKmServer, type RunningKm } from '../../km/server/km-server.js';
import type { CryptoClient } from '../../renderer/src/crypto/crypto-client.js';
import { adminPasswords, startTestKm, type TestKm } from '../support/km-authority.js';
import { tempHome } from './accounts-fixture.js';
import { workerPage, type WorkerPage } from './crypto-worker-page.js';

const two = adminPasswords.slice(0, 2);
// Account names are keychain ids, and test files share one keyring.
const tag = 'crypto-worker-renew';
const people = {
  alice: { email: 'alice@example.test', password: 'alice key-file password' },
};
type Who = keyof typeof people;

let km: TestKm;
let server: RunningKm;
let home: SealmailHome;
let policyDir: string;
let services: RunningAppServices;
let page: WorkerPage;
const ids: Record<Who, string> = { alice: '' };
let crypto: CryptoClient;

const value: WorkerPage['value'] = (channel, request) => page.value(channel, request);

function addAccount(who: Who): Promise<string> {
  return page.addAccount(`${who}-${tag}`, people[who].email);
}

const dayMs = 24 * 60 * 60_000;

/** Redeemed `daysAgo` days ago by the KM's clock, so the certificates end that much sooner. */
async function redeem(who: Who, daysAgo = 0) {
  km.setNow(new Date(Date.now() - daysAgo * dayMs));
  try {
    const { temporaryKey } = await enableMailbox(km, people[who].email, two);
    return await crypto.redeem({
      accountId: ids[who],
      email: people[who].email,
      temporaryKey,
      password: people[who].password,
    });
  } finally {
    km.setNow(new Date());
  }
}

/** The serial numbers (lower-case hex) of the certificates a sealed message is encrypted to. */
function encryptedToSerials(sealed: Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sealmail-sealed-'));
  try {
    writeFileSync(join(dir, 'sealed.eml'), sealed);
    const printed = spawnSync(
      'openssl',
      ['cms', '-cmsout', '-print', '-inform', 'SMIME', '-in', join(dir, 'sealed.eml')],
      { encoding: 'utf8' },
    );
    expect(printed.status).toBe(0);
    // openssl prints a serial as decimal, or as 0x-hex when it is negative in ASN.1 terms.
    return [...printed.stdout.matchAll(/serialNumber:\s*(0x[0-9A-Fa-f]+|[0-9]+)/g)].map((match) =>
      BigInt(match[1]!).toString(16),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function composed(from: Who, to: Who, text: string): Promise<Uint8Array> {
  const { raw } = await value('mail.compose', {
    accountId: ids[from],
    message: { to: [people[to].email], subject: 'Quarterly figures', text },
  });
  return raw;
}

beforeAll(async () => {
  km = await startTestKm({ required: 2 });
  server = await startKmServer(
    { ...km, dataDirectory: km.dataDirectory, encryptionKeyType: 'P-256', requestsPerMinute: 1000 },
    { listen: { host: '127.0.0.1', port: 0 } },
  );
  home = tempHome();
  // No system policy: the built-in one (medium profile) is in force.
  policyDir = mkdtempSync(join(tmpdir(), 'sealmail-policy-'));
  process.env.SEALMAIL_POLICY_FILE = join(policyDir, 'policies.json');
  services = createAppServices(home, { log: () => undefined });
  page = workerPage(services);
  const caPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(km.caCertificate).toString('base64')}\n-----END CERTIFICATE-----\n`;
  for (const who of ['alice'] as const) {
    ids[who] = await addAccount(who);
    await value('security.setKm', { accountId: ids[who], url: server.url, caPem });
  }
  crypto = page.startWorker();
}, 120_000);

afterAll(async () => {
  page?.close();
  await services?.close();
  for (const id of Object.values(ids)) if (id) await services?.accounts.remove(id).catch(() => undefined);
  await server?.close();
  await km?.close();
  delete process.env.SEALMAIL_POLICY_FILE;
  if (home) rmSync(home.root, { recursive: true, force: true });
  if (policyDir) rmSync(policyDir, { recursive: true, force: true });
});

function opensslOpens(file: string, password: string): { status: number | null; output: string } {
  const info = spawnSync(
    'openssl',
    ['pkcs12', '-info', '-nokeys', '-in', file, '-passin', `pass:${password}`],
    {
      encoding: 'utf8',
    },
  );
  return { status: info.status, output: `${info.stdout}${info.stderr}` };
}

describe('renewing in the crypto worker (Settings › Security › Renew)', () => {
  let oldMail: Uint8Array;
  let oldSigningSerial = '';
  let oldEncryptionSerial = '';

  it('starts from a key file redeemed 340 days ago, renewal due, and a message alice encrypted to herself', async () => {
    const status = await redeem('alice', 340);
    expect(status.state).toBe('expiring');
    oldEncryptionSerial = status.certificates.find((view) => view.role === 'encryption')!.serial;
    oldSigningSerial = status.certificates.find((view) => view.role === 'signing')!.serial;
    oldMail = await crypto.seal({
      accountId: ids.alice,
      raw: await composed('alice', 'alice', 'Written before the renewal.'),
      sign: true,
      encryptTo: [],
      password: people.alice.password,
    });
  });

  it('refuses a wrong password with WRONG_PASSWORD and leaves the key file as it was', async () => {
    const before = readFileSync(keyFilePath(home, ids.alice));
    await expect(crypto.renew({ accountId: ids.alice, password: 'not the password' })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
    expect(readFileSync(keyFilePath(home, ids.alice)).equals(before)).toBe(true);
  });

  it('renews both certificates: the status is Active again, the old encryption certificate kept as previous', async () => {
    const before = await value('security.status', { accountId: ids.alice });
    expect(before.state).toBe('expiring');
    const status = await crypto.renew({ accountId: ids.alice, password: people.alice.password });
    const signing = status.certificates.find((view) => view.role === 'signing')!;
    const encryption = status.certificates.find((view) => view.role === 'encryption')!;
    expect(status.state).toBe('active');
    expect(signing.serial).not.toBe(oldSigningSerial);
    expect(signing.email).toBe(people.alice.email);
    expect(encryption.serial).not.toBe(oldEncryptionSerial);
    expect(encryption.email).toBe(people.alice.email);
    const validTo = (view: { validTo: string } | undefined) => new Date(view!.validTo).getTime();
    // A year from now, not from the enrollment 340 days ago.
    for (const renewed of [signing, encryption]) {
      expect(validTo(renewed)).toBeGreaterThan(Date.now() + 300 * dayMs);
    }
    expect(
      status.certificates.filter((view) => view.role === 'previous-encryption').map((view) => view.serial),
    ).toEqual([oldEncryptionSerial]);
    // What Settings › Security reads from main afterwards is the same, and no longer "due soon".
    const shown = await value('security.status', { accountId: ids.alice });
    expect(shown.state).toBe('active');
    expect(shown.certificates.find((view) => view.role === 'signing')?.serial).toBe(signing.serial);
    expect(shown.certificates.find((view) => view.role === 'encryption')?.serial).toBe(encryption.serial);
    expect(await km.store.records.certificate(signing.serial)).toMatchObject({
      email: people.alice.email,
      kind: 'signing',
      revokedAt: null,
    });
    expect(await km.store.records.certificate(encryption.serial)).toMatchObject({
      email: people.alice.email,
      kind: 'encryption',
      revokedAt: null,
    });
  });

  it('encrypts new mail to alice to the new certificate the KM directory serves, and opens it', async () => {
    const status = await value('security.status', { accountId: ids.alice });
    const current = status.certificates.find((view) => view.role === 'encryption')!;
    const [checked] = await value('recipients.check', {
      accountId: ids.alice,
      addresses: [people.alice.email],
    });
    expect(checked).toMatchObject({ state: 'ready', source: 'km' });
    expect(Buffer.from(checked!.certificate!).equals(Buffer.from(current.der))).toBe(true);
    const sealed = await crypto.seal({
      accountId: ids.alice,
      raw: await composed('alice', 'alice', 'Written to the new certificate.'),
      sign: true,
      encryptTo: [checked!.certificate!],
      password: people.alice.password,
    });
    const serials = encryptedToSerials(sealed);
    expect(serials).toContain(BigInt(`0x${current.serial}`).toString(16));
    expect(serials).not.toContain(BigInt(`0x${oldEncryptionSerial}`).toString(16));
    const opened = await crypto.open({ accountId: ids.alice, raw: sealed, password: people.alice.password });
    expect(opened.report).toMatchObject({ encrypted: true, decrypted: true, signature: 'valid' });
    expect(new TextDecoder().decode(opened.content)).toContain('Written to the new certificate.');
  });

  it('opens mail encrypted before the renewal with the same password', async () => {
    expect(encryptedToSerials(oldMail)).toEqual([BigInt(`0x${oldEncryptionSerial}`).toString(16)]);
    const opened = await crypto.open({ accountId: ids.alice, raw: oldMail, password: people.alice.password });
    expect(opened.report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      signature: 'valid',
    });
    expect(opened.report.signer?.serial).toBe(oldSigningSerial);
    expect(new TextDecoder().decode(opened.content)).toContain('Written before the renewal.');
  });

  it('signs new mail with the new signing certificate', async () => {
    const status = await value('security.status', { accountId: ids.alice });
    const sealed = await crypto.seal({
      accountId: ids.alice,
      raw: await composed('alice', 'alice', 'Written after the renewal.'),
      sign: true,
      encryptTo: null,
      password: people.alice.password,
    });
    const opened = await crypto.open({ accountId: ids.alice, raw: sealed });
    expect(opened.report.signature).toBe('valid');
    expect(opened.report.signer?.serial).toBe(
      status.certificates.find((view) => view.role === 'signing')?.serial,
    );
  });

  it('writes a key file that openssl pkcs12 opens with the same password', () => {
    const info = opensslOpens(keyFilePath(home, ids.alice), people.alice.password);
    expect(info.status).toBe(0);
    expect(info.output).toContain('PBKDF2');
    expect(info.output).toContain('Sealmail');
  });
});
