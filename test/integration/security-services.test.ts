// Advanced Security on the main side (issue 6) through the same handler table the window uses:
// a real KM over TLS (its CA pinned), the crypto worker's enrollment (core's redeemTemporaryKey)
// driven through the km.est relay, the key file saved with keyfile.save, status from the saved
// certificates and the CRL cache, recipients looked up in the KM directory, revocation after the
// administrator revokes, the Sensitivity header, and files.save. The mail accounts point at no
// mail server: nothing here needs one (their background connects fail quietly, as offline).
// Run under test/support/with-keyring.sh: adding an account stores its password in the keychain.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../core/api/channels.js';
import type { RequestOf } from '../../core/api/schemas.js';
import type { Responses } from '../../core/api/types.js';
import type { EstClient } from '../../core/enrollment/est-client.js';
import { certificatesOfCertsOnly, serverGeneratedKeys } from '../../core/enrollment/est-messages.js';
import { redeemTemporaryKey } from '../../core/enrollment/redeem-temporary-key.js';
import { SealmailError, type ErrorInfo } from '../../core/errors.js';
import { openKeyFile, sealKeyFile } from '../../core/keyfile/key-file.js';
import type { KeyFileContents } from '../../core/keyfile/key-file-contents.js';
import { summarizeCertificate } from '../../core/keyfile/key-file-summary.js';
import { createAppServices, type RunningAppServices } from '../../electron/main/create-app-services.js';
import { createDialogFileServices } from '../../electron/main/save-dialog.js';
import { dispatch } from '../../electron/main/ipc-dispatch.js';
import { createHandlerTable, type HandlerTable } from '../../electron/main/ipc-handlers.js';
import { crlCacheDir } from '../../electron/services/crl/cached-revocation.js';
import { CrlCache } from '../../electron/services/crl/crl-cache.js';
import type { SealmailHome } from '../../electron/services/home.js';
import { keyFilePath } from '../../electron/services/security/security-profile.js';
import { createSecurityServices } from '../../electron/services/security/security-services.js';
import { enableMailbox, revokeMailbox } from '../../km/mailbox/admin-operations.js';
import { startKmServer, type RunningKm } from '../../km/server/km-server.js';
import { adminPasswords, startTestKm, type TestKm } from '../support/km-authority.js';
import { tempHome } from './accounts-fixture.js';

const two = adminPasswords.slice(0, 2);
const fast = { pbkdf2Iterations: 1_000, macIterations: 1_000 };
const writer = join(import.meta.dirname, 'security-keyfile-writer.ts');
// Account names are keychain ids, and test files share one keyring.
const tag = 'security-services';
const email = { alice: 'alice@example.test', bob: 'bob@example.test', carol: 'carol@example.test' };

let km: TestKm;
let server: RunningKm;
let caPem: string;
let home: SealmailHome;
let policyFile: string;
let services: RunningAppServices;
let table: HandlerTable;
const ids = { alice: '', bob: '' };
const keyFiles: { alice?: KeyFileContents; bob?: KeyFileContents } = {};
let aliceKey = '';

/** The IPC schemas take bytes over a plain ArrayBuffer, as structured clone delivers them. */
const copy = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/**
 * A self-signed P-256 certificate from openssl, not issued by the test KM: `<name>.pem` (or
 * `.der` with form 'DER') in the test home, its key beside it. `more`: -days, -addext…
 */
function selfSigned(name: string, subject: string, more: string[], form: 'PEM' | 'DER' = 'PEM'): string {
  const certificate = join(home.root, `${name}.${form.toLowerCase()}`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(home.root, `${name}.key`),
      ...(form === 'DER' ? ['-outform', 'DER'] : []),
      '-out',
      certificate,
      '-subj',
      subject,
      ...more,
    ],
    { stdio: 'ignore' },
  );
  return certificate;
}

type Answer<C extends Channel> = { ok: true; value: Responses[C] } | { ok: false; error: ErrorInfo };

async function call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Answer<C>> {
  return (await dispatch(table, channel, payload, () => undefined)) as Answer<C>;
}

async function value<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Responses[C]> {
  const answer = await call(channel, payload);
  if (!answer.ok) throw new SealmailError(answer.error.code, answer.error.message);
  return answer.value;
}

/** The crypto worker's EST client: every request goes through main's km.est relay. */
function relayedEst(accountId: string): EstClient {
  const est = (
    operation: 'cacerts' | 'simpleenroll' | 'serverkeygen',
    body: Uint8Array | null,
    key: string | null,
  ) => value('km.est', { accountId, operation, body: body && copy(body), temporaryKey: key });
  return {
    caCertificates: async () => certificatesOfCertsOnly((await est('cacerts', null, null)).body),
    simpleEnroll: async (csr, credentials) => {
      const [certificate] = certificatesOfCertsOnly(
        (await est('simpleenroll', csr, credentials.temporaryKey)).body,
      );
      if (!certificate) throw new Error('no certificate in the simpleenroll answer');
      return certificate;
    },
    serverKeygen: async (credentials) => {
      const reply = await est('serverkeygen', null, credentials.temporaryKey);
      return serverGeneratedKeys(reply.body, reply.contentType);
    },
  };
}

/** What the worker does after redeeming: seal the key file and hand main the bytes and certificates. */
async function saveKeyFile(accountId: string, contents: KeyFileContents, password: string) {
  return value('keyfile.save', {
    accountId,
    bytes: copy(await sealKeyFile(contents, password, fast)),
    certificates: contents.keys.map((key) => copy(key.certificate)),
    caCertificates: contents.caCertificates.map(copy),
  });
}

async function enroll(who: 'alice' | 'bob', temporaryKey: string): Promise<KeyFileContents> {
  const contents = await redeemTemporaryKey(relayedEst(ids[who]), { email: email[who], temporaryKey });
  keyFiles[who] = contents;
  return contents;
}

function addAccount(who: 'alice' | 'bob') {
  // Port 1 on loopback: no mail server, so the background connect fails at once and retries.
  return value('accounts.add', {
    name: `${who}-${tag}`,
    email: email[who],
    username: email[who],
    password: `${who}-pass`,
    imap: { host: '127.0.0.1', port: 1, tls: 'tls' },
    smtp: { host: '127.0.0.1', port: 1, tls: 'tls' },
  });
}

beforeAll(async () => {
  km = await startTestKm({ required: 2 });
  caPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(km.caCertificate).toString('base64')}\n-----END CERTIFICATE-----\n`;
  server = await startKmServer(
    { ...km, dataDirectory: km.dataDirectory, encryptionKeyType: 'P-256', requestsPerMinute: 1000 },
    { listen: { host: '127.0.0.1', port: 0 } },
  );
  home = tempHome();
  policyFile = join(mkdtempSync(join(tmpdir(), 'sealmail-policy-')), 'policies.json');
  process.env.SEALMAIL_POLICY_FILE = policyFile;
  services = createAppServices(home, { log: () => undefined });
  table = createHandlerTable(services, { openExternal: async () => undefined });
  ids.alice = (await addAccount('alice')).id;
  ids.bob = (await addAccount('bob')).id;
});

afterAll(async () => {
  await services?.close();
  for (const id of Object.values(ids)) if (id) await services?.accounts.remove(id).catch(() => undefined);
  await server?.close();
  await km?.close();
  delete process.env.SEALMAIL_POLICY_FILE;
  if (home) rmSync(home.root, { recursive: true, force: true });
  if (policyFile) rmSync(dirname(policyFile), { recursive: true, force: true });
});

describe('enrollment through the km.est relay', () => {
  it('starts not enrolled, and pins the KM CA the user enters', async () => {
    const before = await value('security.status', { accountId: ids.alice });
    expect(before.state).toBe('not-enrolled');
    expect(before.km).toBeNull();
    expect(before.certificates).toEqual([]);
    const noKeyFile = await call('keyfile.read', { accountId: ids.alice });
    expect(noKeyFile.ok ? null : noKeyFile.error.code).toBe('NOT_FOUND');
    const noAccount = await call('security.status', { accountId: 'nobody' });
    expect(noAccount.ok ? null : noAccount.error.code).toBe('NOT_FOUND');
    const plainHttp = await call('security.setKm', { accountId: ids.alice, url: 'http://km.example.test' });
    expect(plainHttp.ok ? null : plainHttp.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: /https/,
    });
    const notPem = await call('security.setKm', { accountId: ids.alice, url: server.url, caPem: 'hello' });
    expect(notPem.ok ? null : notPem.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: /BEGIN CERTIFICATE/,
    });
    for (const who of ['alice', 'bob'] as const) {
      const status = await value('security.setKm', { accountId: ids[who], url: server.url, caPem });
      expect(status.km).toEqual({ url: server.url, caPinned: true });
    }
  });

  it('redeems a temporary key for real and keyfile.save makes the account Active', async () => {
    aliceKey = (await enableMailbox(km, email.alice, two)).temporaryKey;
    const contents = await enroll('alice', aliceKey);
    const changes: string[] = [];
    const stop = services.events.on('security.changed', ({ accountId }) => changes.push(accountId));
    const status = await saveKeyFile(ids.alice, contents, 'alice key file password');
    stop();
    expect(changes).toEqual([ids.alice]);
    expect(status.state).toBe('active');
    expect(status.detail).toBeNull();
    const signing = summarizeCertificate(contents.keys[0]!.certificate);
    const shown = status.certificates.find((view) => view.role === 'signing');
    expect(shown).toMatchObject({
      email: email.alice,
      validFrom: signing.notBefore,
      validTo: signing.notAfter,
    });
    expect(shown?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(status.certificates.map((view) => view.role)).toEqual(['signing', 'encryption', 'ca']);
    // Main keeps the sealed bytes exactly, owner-only; the worker opens them again with the password.
    expect(statSync(keyFilePath(home, ids.alice)).mode & 0o777).toBe(0o600);
    const { bytes } = await value('keyfile.read', { accountId: ids.alice });
    const reopened = await openKeyFile(bytes, 'alice key file password');
    expect(reopened.contents.keys).toHaveLength(2);
    // And the KM agrees the mailbox is Active.
    expect((await km.store.records.mailbox(email.alice))?.state).toBe('Active');
  });

  it('refuses a spent temporary key with its code, and the key file stays as it was', async () => {
    const before = readFileSync(keyFilePath(home, ids.alice));
    const again = await enroll('alice', aliceKey).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(SealmailError);
    expect((again as SealmailError).code).toBe('TEMPORARY_KEY_SPENT');
    expect((again as SealmailError).message).toContain('already used');
    expect(readFileSync(keyFilePath(home, ids.alice)).equals(before)).toBe(true);
  });

  it('says CONNECTION_FAILED, and where to fix it, when the KM is down', async () => {
    // Port 1 on loopback has no server.
    await value('security.setKm', { accountId: ids.bob, url: 'https://127.0.0.1:1', caPem });
    const answer = await call('km.est', {
      accountId: ids.bob,
      operation: 'cacerts',
      body: null,
      temporaryKey: null,
    });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('CONNECTION_FAILED');
    expect(answer.error.message).toContain('127.0.0.1:1');
    expect(answer.error.message).toContain('Settings › Security');
    await value('security.setKm', { accountId: ids.bob, url: server.url, caPem });
  });

  it('refuses a KM whose certificate the pinned CA did not issue, naming its fingerprint', async () => {
    const otherCa = selfSigned('other-ca', '/CN=Some other CA', ['-days', '2']);
    await value('security.setKm', {
      accountId: ids.bob,
      url: server.url,
      caPem: readFileSync(otherCa, 'utf8'),
    });
    const answer = await call('km.est', {
      accountId: ids.bob,
      operation: 'cacerts',
      body: null,
      temporaryKey: null,
    });
    expect(answer.ok ? null : answer.error).toMatchObject({
      code: 'TLS_UNTRUSTED',
      message: expect.stringMatching(/fingerprint is [0-9A-F:]{95}.*Settings › Security/s) as unknown,
    });
    await value('security.setKm', { accountId: ids.bob, url: server.url, caPem });
  });

  it('keeps the previous key file when a save fails half-way (EFBIG), and says so', async () => {
    const before = readFileSync(keyFilePath(home, ids.alice));
    const large = join(home.root, 'large-key-file.bin');
    // A DER SEQUENCE header, then 512 KiB: past the 32 KiB the writer may write under `ulimit -f 64`.
    const bytes = new Uint8Array(512 * 1024).fill(0x5a);
    bytes[0] = 0x30;
    writeFileSync(large, bytes);
    const certificates = join(home.root, 'certificates.json');
    writeFileSync(
      certificates,
      JSON.stringify({
        certificates: keyFiles.alice!.keys.map((key) => Buffer.from(key.certificate).toString('base64')),
        caCertificates: keyFiles.alice!.caCertificates.map((der) => Buffer.from(der).toString('base64')),
      }),
    );
    const run = spawnSync(
      'sh',
      [
        '-c',
        'ulimit -f 64 && exec "$0" "$@"',
        process.execPath,
        '--import',
        'tsx',
        writer,
        home.root,
        ids.alice,
        large,
        certificates,
      ],
      { encoding: 'utf8', env: { ...process.env, TSX_DISABLE_CACHE: '1' } },
    );
    expect(run.stdout).toContain('STORAGE_FAILED');
    expect(run.stdout).toMatch(/EFBIG|file too large/);
    expect(run.stdout).toContain('is unchanged');
    expect(readFileSync(keyFilePath(home, ids.alice)).equals(before)).toBe(true);
    const status = await value('security.status', { accountId: ids.alice });
    expect(status.state).toBe('active');
  });
});

describe('renewal', () => {
  it('says expiring inside the 30-day renewal window and expired after, with the date', async () => {
    const signing = keyFiles.alice!.keys.find((key) => key.signing)!.certificate;
    const notAfter = new Date(summarizeCertificate(signing).notAfter);
    const at = (daysBefore: number) =>
      createSecurityServices({
        home,
        events: services.events,
        policy: () => services.policy,
        getAccount: (id) => services.accounts.list().then((all) => all.find((a) => a.id === id)!),
        now: () => new Date(notAfter.getTime() - daysBefore * 24 * 60 * 60 * 1000),
      }).status(ids.alice);
    expect((await at(31)).state).toBe('active');
    const expiring = await at(10);
    expect(expiring.state).toBe('expiring');
    expect(expiring.detail).toContain(`expires on ${notAfter.getUTCDate()} `);
    expect(expiring.detail).toContain('renew');
    const expired = await at(-1);
    expect(expired.state).toBe('expired');
    expect(expired.detail).toContain('expired on');
  });
});

describe('recipients and revocation', () => {
  it('finds bob ready in the KM directory and carol without a certificate', async () => {
    const bobKey = (await enableMailbox(km, email.bob, two)).temporaryKey;
    const bob = await enroll('bob', bobKey);
    expect((await saveKeyFile(ids.bob, bob, 'bob key file password')).state).toBe('active');
    const answers = await value('recipients.check', {
      accountId: ids.alice,
      addresses: [email.bob, email.carol],
    });
    expect(answers.map(({ address, state, source }) => ({ address, state, source }))).toEqual([
      { address: email.bob, state: 'ready', source: 'km' },
      { address: email.carol, state: 'no-certificate', source: null },
    ]);
    expect(answers[0]?.certificate).toEqual(
      bob.keys.find((key) => key.encryption === 'current')?.certificate,
    );
    expect(answers[1]?.reason).toContain('no signed mail from them');
  });

  it('shows bob revoked, with the date and reason, once the administrator revokes him', async () => {
    // alice once read a signed message from bob: the worker had main keep his certificate.
    const bobEncryption = keyFiles.bob!.keys.find((key) => key.encryption === 'current')!.certificate;
    await value('certificates.harvest', {
      accountId: ids.alice,
      email: email.bob,
      certificate: copy(bobEncryption),
    });
    await revokeMailbox(km, email.bob, 'keyCompromise', two);
    const crl = await km.store.records.latestCrl();
    await new CrlCache(crlCacheDir(home)).install(km.caCertificate, crl!.der);

    const [bob] = await value('recipients.check', { accountId: ids.alice, addresses: [email.bob] });
    expect(bob?.state).toBe('revoked');
    expect(bob?.reason).toMatch(/revoked on \d{1,2} [A-Z][a-z]+ \d{4} \(keyCompromise\)/);
    expect(bob?.certificate).toBeNull();

    const status = await value('security.status', { accountId: ids.bob });
    expect(status.state).toBe('revoked');
    expect(status.detail).toContain('keyCompromise');
    const today = new Date();
    expect(status.detail).toContain(String(today.getUTCFullYear()));

    const bobSigning = keyFiles.bob!.keys.find((key) => key.signing)!.certificate;
    const view = await value('certificates.revocation', {
      accountId: ids.alice,
      certificate: copy(bobSigning),
      issuer: copy(km.caCertificate),
    });
    expect(view).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
    const aliceSigning = keyFiles.alice!.keys.find((key) => key.signing)!.certificate;
    expect(
      await value('certificates.revocation', {
        accountId: ids.alice,
        certificate: copy(aliceSigning),
        issuer: copy(km.caCertificate),
      }),
    ).toMatchObject({ status: 'good' });
  });

  it('calls a certificate from another CA untrusted, and one past its dates expired', async () => {
    const carolCert = selfSigned(
      'carol',
      '/CN=Carol',
      ['-days', '30', '-addext', `subjectAltName=email:${email.carol}`, '-addext', 'keyUsage=keyAgreement'],
      'DER',
    );
    const carol = copy(readFileSync(carolCert));
    const misfiled = await call('certificates.harvest', {
      accountId: ids.alice,
      email: email.bob,
      certificate: carol,
    });
    expect(misfiled.ok ? null : misfiled.error.code).toBe('INVALID_REQUEST');
    await value('certificates.harvest', { accountId: ids.alice, email: email.carol, certificate: carol });
    const [untrusted] = await value('recipients.check', { accountId: ids.alice, addresses: [email.carol] });
    expect(untrusted).toMatchObject({ state: 'untrusted', certificate: null });
    expect(untrusted?.reason).toContain('not trusted');

    // Bob, a year and more from now: alice's certificate in the KM directory has run out.
    const later = createSecurityServices({
      home,
      events: services.events,
      policy: () => services.policy,
      getAccount: (id) => services.accounts.list().then((all) => all.find((a) => a.id === id)!),
      now: () => new Date(Date.now() + 400 * 24 * 60 * 60 * 1000),
    });
    const [alice] = await later.checkRecipients(ids.bob, [email.alice]);
    expect(alice).toMatchObject({ state: 'expired', certificate: null });
    expect(alice?.reason).toMatch(/expired on \d{1,2} [A-Z][a-z]+ \d{4}/);
  });
});

describe('settings, compose and saving files', () => {
  it('keeps the sign/encrypt defaults and tells the window', async () => {
    const changes: string[] = [];
    const stop = services.events.on('security.changed', ({ accountId }) => changes.push(accountId));
    const status = await value('security.setDefaults', { accountId: ids.alice, sign: false, encrypt: true });
    stop();
    expect(status.defaults).toEqual({ sign: false, encrypt: true });
    expect(changes).toEqual([ids.alice]);
    expect((await value('security.status', { accountId: ids.alice })).defaults).toEqual({
      sign: false,
      encrypt: true,
    });
  });

  it('keeps both of two changes made at the same moment', async () => {
    const [, , status] = await Promise.all([
      value('security.setDefaults', { accountId: ids.alice, sign: true, encrypt: true }),
      value('security.setKm', { accountId: ids.alice, url: `${server.url}/`, caPem }),
      value('security.setDefaults', { accountId: ids.alice, sign: true, encrypt: false }),
    ]);
    expect(status.defaults).toEqual({ sign: true, encrypt: false });
    const now = await value('security.status', { accountId: ids.alice });
    expect(now.defaults).toEqual({ sign: true, encrypt: false });
    expect(now.km).toEqual({ url: server.url, caPinned: true });
    expect(now.state).toBe('active');
  });

  it('refuses to change a KM address the policy locks, and uses the policy one', async () => {
    writeFileSync(
      policyFile,
      JSON.stringify({
        policies: { KeyManagement: { Value: { URL: 'https://km.corp.test:8443' }, Locked: true } },
      }),
    );
    try {
      const answer = await call('security.setKm', { accountId: ids.alice, url: server.url, caPem });
      expect(answer.ok).toBe(false);
      if (answer.ok) return;
      expect(answer.error.code).toBe('INVALID_REQUEST');
      expect(answer.error.message).toContain('policy');
      expect((await value('security.status', { accountId: ids.alice })).km?.url).toBe(
        'https://km.corp.test:8443',
      );
      writeFileSync(
        policyFile,
        JSON.stringify({ policies: { SignByDefault: { Value: true, Locked: true } } }),
      );
      const unsigned = await call('security.setDefaults', {
        accountId: ids.alice,
        sign: false,
        encrypt: true,
      });
      expect(unsigned.ok ? null : unsigned.error).toMatchObject({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('"Add digital signature" is on by your organisation') as unknown,
      });
      // The unlocked one stays the user's to change.
      const encrypted = await value('security.setDefaults', {
        accountId: ids.alice,
        sign: true,
        encrypt: true,
      });
      expect(encrypted.defaults).toEqual({ sign: true, encrypt: true });
    } finally {
      rmSync(policyFile, { force: true });
    }
    expect((await value('security.status', { accountId: ids.alice })).km?.url).toBe(server.url);
  });

  it('writes the Sensitivity header for Private and Confidential, and none for Normal', async () => {
    const compose = async (sensitivity: 'normal' | 'private' | 'confidential') => {
      const { raw } = await value('mail.compose', {
        accountId: ids.alice,
        message: { to: [email.bob], subject: 'Quarterly figures', text: 'Attached.', sensitivity },
      });
      return Buffer.from(raw).toString('utf8');
    };
    expect(await compose('private')).toMatch(/^Sensitivity: Private\r$/m);
    expect(await compose('confidential')).toMatch(/^Sensitivity: Company-Confidential\r$/m);
    expect(await compose('normal')).not.toMatch(/^Sensitivity:/im);
  });

  it('saves into the downloads folder without ever overwriting, and never outside it', async () => {
    const first = await value('files.save', {
      suggestedName: 'report.pdf',
      bytes: new Uint8Array([1, 2, 3]),
      kind: 'attachment',
    });
    const second = await value('files.save', {
      suggestedName: 'report.pdf',
      bytes: new Uint8Array([4, 5, 6]),
      kind: 'attachment',
    });
    expect(first).toEqual({ saved: true, path: join(home.root, 'downloads', 'report.pdf') });
    expect(second).toEqual({ saved: true, path: join(home.root, 'downloads', 'report (2).pdf') });
    expect([...readFileSync(first.path!)]).toEqual([1, 2, 3]);
    expect([...readFileSync(second.path!)]).toEqual([4, 5, 6]);
    const sneaky = await value('files.save', {
      suggestedName: '../../.bashrc',
      bytes: new Uint8Array([7]),
      kind: 'key-file',
    });
    expect(dirname(sneaky.path!)).toBe(join(home.root, 'downloads'));
    expect(statSync(sneaky.path!).mode & 0o777).toBe(0o600);
    expect(existsSync(join(home.root, '.bashrc'))).toBe(false);
  });

  it('in the app, saves where the save dialog says, and a cancel saves nothing (mock dialog: no Electron binary here)', async () => {
    const chosen = join(home.root, 'chosen', 'alice.p12');
    mkdirSync(dirname(chosen));
    const asked: unknown[] = [];
    const answers = [
      { canceled: false, filePath: chosen },
      { canceled: true, filePath: '' },
    ];
    const dialog = {
      showSaveDialog: async (...args: unknown[]) => {
        asked.push(args.at(-1));
        return answers.shift()!;
      },
    };
    const files = createDialogFileServices(dialog, '/home/alice/Downloads', () => null);
    const request = {
      suggestedName: 'alice.p12',
      bytes: new Uint8Array([0x30, 1]),
      kind: 'key-file' as const,
    };
    expect(await files.save(request)).toEqual({ saved: true, path: chosen });
    expect([...readFileSync(chosen)]).toEqual([0x30, 1]);
    expect(statSync(chosen).mode & 0o777).toBe(0o600);
    expect(asked[0]).toMatchObject({ defaultPath: '/home/alice/Downloads/alice.p12' });
    expect(await files.save(request)).toEqual({ saved: false, path: null });
  });
});
