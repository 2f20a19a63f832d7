// The crypto worker against the real main side (issue 6): the page's CryptoClient and the
// worker's serveCryptoCalls talk over a MessageChannel, the page answers the worker's IPC through
// the same handler table the window uses (createHandlerTable(createAppServices(...))), and main
// relays EST to a real KM over TLS. alice and bob redeem temporary keys for real, alice sends bob
// a signed and encrypted message, bob reads it with his password, a signed message opens with
// none, and after the administrator revokes alice her signature shows as revoked.
// Run under test/support/with-keyring.sh: adding an account stores its password in the keychain.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { createAppServices, type RunningAppServices } from '../../electron/main/create-app-services.js';
import { crlCacheDir } from '../../electron/services/crl/cached-revocation.js';
import { CrlCache } from '../../electron/services/crl/crl-cache.js';
import type { SealmailHome } from '../../electron/services/home.js';
import { keyFilePath } from '../../electron/services/security/security-profile.js';
import { enableMailbox, revokeMailbox } from '../../km/mailbox/admin-operations.js';
import { startKmServer, type RunningKm } from '../../km/server/km-server.js';
import type { CryptoClient, RedeemProgress } from '../../renderer/src/crypto/crypto-client.js';
import { adminPasswords, startTestKm, type TestKm } from '../support/km-authority.js';
import { tempHome } from './accounts-fixture.js';
import { workerPage, type WorkerPage } from './crypto-worker-page.js';

const two = adminPasswords.slice(0, 2);
// Account names are keychain ids, and test files share one keyring.
const tag = 'crypto-worker-enroll';
const people = {
  alice: { email: 'alice@example.test', password: 'alice key-file password' },
  bob: { email: 'bob@example.test', password: 'bob key-file password' },
};
type Who = keyof typeof people;

let km: TestKm;
let server: RunningKm;
let home: SealmailHome;
let policyDir: string;
let services: RunningAppServices;
let page: WorkerPage;
const ids: Record<Who, string> = { alice: '', bob: '' };
let crypto: CryptoClient;
let aliceKey = '';

const value: WorkerPage['value'] = (channel, request) => page.value(channel, request);

function addAccount(who: Who): Promise<string> {
  return page.addAccount(`${who}-${tag}`, people[who].email);
}

async function redeem(who: Who, steps: RedeemProgress[] = []) {
  const { temporaryKey } = await enableMailbox(km, people[who].email, two);
  if (who === 'alice') aliceKey = temporaryKey;
  return crypto.redeem(
    { accountId: ids[who], email: people[who].email, temporaryKey, password: people[who].password },
    (progress) => steps.push(progress),
  );
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
  for (const who of ['alice', 'bob'] as const) {
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

describe('redeeming a temporary key in the crypto worker', () => {
  it('makes the account Active, step by step, with a key file openssl opens with the password', async () => {
    const steps: RedeemProgress[] = [];
    const status = await redeem('alice', steps);
    expect(status.state).toBe('active');
    expect(status.certificates.map((view) => view.role)).toEqual(['signing', 'encryption', 'ca']);
    expect(status.certificates[0]?.email).toBe(people.alice.email);
    expect(steps.map((progress) => progress.step)).toEqual([
      'checking-key',
      'making-signing-key',
      'enrolling',
      'receiving-encryption-keys',
      'saving-key-file',
    ]);
    expect((await km.store.records.mailbox(people.alice.email))?.state).toBe('Active');
    const info = spawnSync(
      'openssl',
      [
        'pkcs12',
        '-info',
        '-noout',
        '-in',
        keyFilePath(home, ids.alice),
        '-passin',
        `pass:${people.alice.password}`,
      ],
      { encoding: 'utf8' },
    );
    expect(info.status).toBe(0);
    expect(`${info.stdout}${info.stderr}`).toContain('PBKDF2');
  });

  it('refuses the spent key with TEMPORARY_KEY_SPENT and leaves the key file as it was', async () => {
    const before = readFileSync(keyFilePath(home, ids.alice));
    const again = await crypto
      .redeem({
        accountId: ids.alice,
        email: people.alice.email,
        temporaryKey: aliceKey,
        password: 'another password',
      })
      .catch((error: unknown) => error);
    expect(again).toBeInstanceOf(SealmailError);
    expect((again as SealmailError).code).toBe('TEMPORARY_KEY_SPENT');
    expect(readFileSync(keyFilePath(home, ids.alice)).equals(before)).toBe(true);
    expect((await value('security.status', { accountId: ids.alice })).state).toBe('active');
  });
});

describe('secure mail between two enrolled people', () => {
  let sealed: Uint8Array;
  let signedOnly: Uint8Array;

  it('alice seals to bob’s directory certificate; bob needs his password to read it', async () => {
    await redeem('bob');
    const [bob] = await value('recipients.check', { accountId: ids.alice, addresses: [people.bob.email] });
    expect(bob?.state).toBe('ready');
    sealed = await crypto.seal({
      accountId: ids.alice,
      raw: await composed('alice', 'bob', 'The figures are attached.'),
      sign: true,
      encryptTo: [bob!.certificate!],
      password: people.alice.password,
    });
    await expect(crypto.open({ accountId: ids.bob, raw: sealed })).rejects.toMatchObject({
      code: 'KEYFILE_LOCKED',
    });
    const opened = await crypto.open({ accountId: ids.bob, raw: sealed, password: people.bob.password });
    expect(opened.report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      signature: 'valid',
      fromMatchesSigner: true,
    });
    expect(opened.report.signer?.email).toBe(people.alice.email);
    expect(new TextDecoder().decode(opened.content)).toContain('The figures are attached.');
    // alice's own copy (Sent) opens with her key: she was kept unlocked under the medium profile.
    expect(await crypto.isUnlocked(ids.alice)).toBe(true);
    const own = await crypto.open({ accountId: ids.alice, raw: sealed });
    expect(own.report.decrypted).toBe(true);
  });

  it('bob opens a signed, unencrypted message from alice without any password', async () => {
    await crypto.lock(ids.bob);
    signedOnly = await crypto.seal({
      accountId: ids.alice,
      raw: await composed('alice', 'bob', 'Signed, not secret.'),
      sign: true,
      encryptTo: null,
    });
    const opened = await crypto.open({ accountId: ids.bob, raw: signedOnly });
    expect(opened.report).toMatchObject({ encrypted: false, signed: true, signature: 'valid' });
    expect(opened.signerCertificates.at(-1)).toEqual(km.caCertificate);
  });

  it('shows alice’s signature as revoked once the administrator revokes her', async () => {
    await revokeMailbox(km, people.alice.email, 'keyCompromise', two);
    const crl = await km.store.records.latestCrl();
    await new CrlCache(crlCacheDir(home)).install(km.caCertificate, crl!.der);
    const opened = await crypto.open({ accountId: ids.bob, raw: signedOnly });
    expect(opened.report.signature).toBe('revoked');
    expect(opened.report.errors.map((error) => error.code)).toContain('SIGNER_REVOKED');
    expect(opened.report.errors.map((error) => error.message).join(' ')).toContain('keyCompromise');
  });
});
