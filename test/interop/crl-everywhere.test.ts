// The CRL cache used where it matters (issue 5): `sealmail open` without --crl answers from the
// CRLs `sealmail crl import` stored in the Sealmail home, and `sealmail seal --encrypt` refuses a
// revoked recipient. Certificates and CRLs are made by openssl (`openssl ca -revoke`, `-gencrl`);
// the commands run in-process through the CLI's own command table, each against its own home.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { buildProgram, type CliContext } from '../../electron/cli/program.js';
import { resolveHome } from '../../electron/services/home.js';
import { generateCrl, opensslRevocations } from '../support/openssl-crl.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { plainMessage } from '../support/smime-identities.js';

const DAY = 24 * 60 * 60 * 1000;

interface Notice {
  code: string;
  message: string;
}
interface OpenJson {
  signature: string;
  errors: Notice[];
  warnings: Notice[];
}

let pki: TestPki;
let other: TestPki;
let alice: IssuedCertificate;
let bob: IssuedCertificate;
let carol: IssuedCertificate;
let dave: IssuedCertificate;
let passwordFile: string;
let aliceKeyFile: string;
let signedByAlice: string;
let revocationsCrl: string;

/** Runs one `sealmail` command against `home`; stdout and stderr lines are returned. */
async function sealmail(home: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const context: CliContext = {
    home: () => resolveHome(home),
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  };
  const program = await buildProgram(context, args);
  await program.parseAsync(args, { from: 'user' });
  return { out: out.join('\n'), err: err.join('\n') };
}

async function failureOf(promise: Promise<unknown>): Promise<SealmailError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SealmailError) return error;
    throw error;
  }
  throw new Error('the command succeeded');
}

function newHome(): string {
  return mkdtempSync(join(tmpdir(), 'sealmail-crl-home-'));
}

async function openJson(home: string): Promise<OpenJson> {
  const { out } = await sealmail(home, [
    'open',
    '--in',
    signedByAlice,
    '--trust',
    pki.root.certFile,
    '--json',
  ]);
  return JSON.parse(out) as OpenJson;
}

const importCrl = (home: string, crl: string, issuer: string) =>
  sealmail(home, ['crl', 'import', '--crl', crl, '--issuer', issuer]);

beforeAll(async () => {
  pki = createTestPki();
  other = createTestPki({ rootName: 'Some Other CA' });
  alice = pki.issueUser({ email: 'alice@example.test', commonName: 'Alice', purpose: 'both' });
  bob = pki.issueUser({ email: 'bob@example.test', commonName: 'Bob', purpose: 'both' });
  carol = pki.issueUser({ email: 'carol@example.test', commonName: 'Carol', purpose: 'both' });
  dave = pki.issueUser({
    email: 'dave@example.test',
    commonName: 'Dave',
    purpose: 'both',
    notBefore: new Date(Date.now() - 400 * DAY),
    notAfter: new Date(Date.now() - 35 * DAY),
  });
  passwordFile = pki.writeFile('password.txt', 'correct horse\n');
  aliceKeyFile = join(pki.dir, 'alice.p12');
  pki.openssl([
    'pkcs12',
    '-export',
    '-inkey',
    alice.keyFile,
    '-in',
    alice.certFile,
    '-certfile',
    pki.root.certFile,
    '-passout',
    `file:${passwordFile}`,
    '-out',
    aliceKeyFile,
  ]);
  const plain = pki.writeFile('plain.eml', plainMessage({ body: 'Signed before the key was lost.\r\n' }));
  signedByAlice = join(pki.dir, 'signed.eml');
  await sealmail(newHome(), [
    'seal',
    '--in',
    plain,
    '--out',
    signedByAlice,
    '--sign',
    '--key-file',
    aliceKeyFile,
    '--password-file',
    passwordFile,
  ]);
  pki.revoke(alice, pki.root, 'keyCompromise');
  pki.revoke(carol, pki.root, 'affiliationChanged');
  revocationsCrl = pki.crl().file;
});
afterAll(() => {
  pki.cleanup();
  other.cleanup();
});

describe('sealmail open without --crl, from the CRL cache', () => {
  it('reports a signer revoked on an imported CRL as revoked, with the date and reason', async () => {
    const home = newHome();
    const before = await openJson(home);
    expect(before.signature).toBe('valid');
    expect(before.warnings.map((w) => w.code)).toContain('REVOCATION_UNKNOWN');

    await importCrl(home, revocationsCrl, pki.root.certFile);
    const after = await openJson(home);
    expect(after.signature).toBe('revoked');
    const listed = opensslRevocations(revocationsCrl).find(
      (r) => r.serialHex === alice.serialHex.toUpperCase(),
    );
    expect(listed).toBeDefined();
    const revoked = after.errors.find((e) => e.code === 'SIGNER_REVOKED');
    expect(revoked?.message).toContain(listed?.revokedAt.toISOString());
    expect(revoked?.message).toContain('keyCompromise');
  });

  it('warns REVOCATION_UNKNOWN when the cache has no CRL of the signer’s CA', async () => {
    const home = newHome();
    await importCrl(home, other.crl().file, other.root.certFile);
    const verdict = await openJson(home);
    expect(verdict.signature).toBe('valid');
    const unknown = verdict.warnings.find((w) => w.code === 'REVOCATION_UNKNOWN');
    expect(unknown?.message).toContain('no CRL of the issuing CA');
  });

  it('answers from a stale cached CRL and says how old it is', async () => {
    const home = newHome();
    const stale = generateCrl(pki.root, {
      lastUpdate: new Date(Date.now() - 10 * DAY),
      nextUpdate: new Date(Date.now() - 3 * DAY),
    });
    await importCrl(home, stale.file, pki.root.certFile);
    const verdict = await openJson(home);
    expect(verdict.signature).toBe('revoked');
    const warning = verdict.warnings.find((w) => w.code === 'CRL_STALE');
    expect(warning?.message).toContain('10 days old');
    expect(warning?.message).toContain('last good copy');
  });
});

describe('sealmail seal --encrypt checks each recipient against the CRL cache', () => {
  const sealTo = (home: string, recipient: IssuedCertificate, out: string) =>
    sealmail(home, [
      'seal',
      '--in',
      pki.writeFile(`to-${out}.eml`, plainMessage({ body: 'For your eyes only.\r\n' })),
      '--out',
      join(pki.dir, out),
      '--encrypt',
      '--recipient-cert',
      recipient.certFile,
    ]);

  it('refuses a revoked recipient, naming them, the date and the reason, and writes nothing', async () => {
    const home = newHome();
    await importCrl(home, revocationsCrl, pki.root.certFile);
    const error = await failureOf(sealTo(home, carol, 'to-carol.p7m'));
    expect(error.code).toBe('RECIPIENT_UNUSABLE');
    expect(error.message).toContain('No usable certificate for carol@example.test');
    const listed = opensslRevocations(revocationsCrl).find(
      (r) => r.serialHex === carol.serialHex.toUpperCase(),
    );
    expect(error.message).toContain(listed?.revokedAt.toISOString());
    expect(error.message).toContain('affiliationChanged');
    expect(existsSync(join(pki.dir, 'to-carol.p7m'))).toBe(false);
  });

  it('encrypts to a recipient the CRL does not list, without a warning', async () => {
    const home = newHome();
    await importCrl(home, revocationsCrl, pki.root.certFile);
    const sealed = await sealTo(home, bob, 'to-bob.p7m');
    expect(sealed.err).not.toContain('warning');
    expect(existsSync(join(pki.dir, 'to-bob.p7m'))).toBe(true);
  });

  it('refuses an expired recipient certificate, even with no CRL at hand', async () => {
    const error = await failureOf(sealTo(newHome(), dave, 'to-dave.p7m'));
    expect(error.code).toBe('RECIPIENT_UNUSABLE');
    expect(error.message).toContain('No usable certificate for dave@example.test');
    expect(error.message).toContain('expired on');
    expect(existsSync(join(pki.dir, 'to-dave.p7m'))).toBe(false);
  });

  it('encrypts to a recipient a stale cached CRL does not list, and says the CRL is old', async () => {
    const home = newHome();
    const stale = generateCrl(pki.root, {
      lastUpdate: new Date(Date.now() - 10 * DAY),
      nextUpdate: new Date(Date.now() - 3 * DAY),
    });
    await importCrl(home, stale.file, pki.root.certFile);
    const sealed = await sealTo(home, bob, 'to-bob-stale.p7m');
    expect(sealed.err).toContain('CRL_STALE');
    expect(sealed.err).toContain('10 days old');
    expect(existsSync(join(pki.dir, 'to-bob-stale.p7m'))).toBe(true);
  });

  it('encrypts but warns REVOCATION_UNKNOWN when the cache has no CRL of the recipient’s CA', async () => {
    const home = newHome();
    await importCrl(home, other.crl().file, other.root.certFile);
    const sealed = await sealTo(home, bob, 'to-bob-unchecked.p7m');
    expect(sealed.err).toContain('REVOCATION_UNKNOWN');
    expect(sealed.err).toContain('bob@example.test');
    expect(existsSync(join(pki.dir, 'to-bob-unchecked.p7m'))).toBe(true);
  });
});
