// The key file against OpenSSL 3, through the `sealmail keyfile` CLI exactly as issue 3 states
// it: OpenSSL opens a Sealmail key file; Sealmail imports what `openssl pkcs12 -export` makes by
// default (PBES2/AES-256, SHA-256 MAC) and with `-legacy` (RC2-40 and 3DES, SHA-1 MAC); an
// exported .p12 gives OpenSSL the very same keys; and a wrong password or a changed file makes
// the CLI exit non-zero with a coded, readable error.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyFileSummary } from '../../core/keyfile/key-file-summary.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let signing: IssuedCertificate;
let encryption: IssuedCertificate;
let renewed: IssuedCertificate;
let passwordFile: string;
let p12PasswordFile: string;

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/index.ts', ...args], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function openssl(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** A .p12 made by `openssl pkcs12 -export` from a key, its certificate and the root CA. */
function opensslP12(holder: IssuedCertificate, name: string, extra: string[] = []): string {
  const out = join(pki.dir, name);
  pki.openssl([
    'pkcs12',
    '-export',
    '-inkey',
    holder.keyFile,
    '-in',
    holder.certFile,
    '-certfile',
    pki.root.certFile,
    '-out',
    out,
    '-passout',
    `file:${p12PasswordFile}`,
    ...extra,
  ]);
  return out;
}

function info(keyFile: string, password = passwordFile): KeyFileSummary {
  const result = cli(['keyfile', 'info', '--key-file', keyFile, '--password-file', password, '--json']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as KeyFileSummary;
}

function importInto(keyFile: string, p12: string): void {
  const result = cli([
    'keyfile',
    'import',
    '--p12',
    p12,
    '--p12-password-file',
    p12PasswordFile,
    '--key-file',
    keyFile,
    '--password-file',
    passwordFile,
  ]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

/** The public key of a PEM or PKCS#12 private key, as OpenSSL prints it. */
function publicKeyOf(keyPem: string): string {
  const result = spawnSync('openssl', ['pkey', '-pubout'], { input: keyPem, encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout;
}

beforeAll(() => {
  pki = createTestPki();
  signing = pki.issueUser({ email: 'alice@example.test', purpose: 'signing' });
  encryption = pki.issueUser({
    email: 'alice@example.test',
    purpose: 'encryption',
    notBefore: new Date(Date.now() - 200 * 24 * 3600 * 1000),
  });
  renewed = pki.issueUser({
    email: 'alice@example.test',
    purpose: 'encryption',
    key: { type: 'ec', curve: 'P-256' },
  });
  passwordFile = pki.writeFile('keyfile-password', 'Keyfile pässword 1\n');
  p12PasswordFile = pki.writeFile('p12-password', 'p12 secret\n');
});
afterAll(() => pki.cleanup());

describe('importing from OpenSSL', () => {
  it("imports OpenSSL 3's default .p12 (PBES2, AES-256-CBC, SHA-256 MAC)", () => {
    const keyFile = join(pki.dir, 'from-default.keyfile');
    importInto(keyFile, opensslP12(signing, 'default.p12'));
    const summary = info(keyFile);
    expect(summary.keys).toHaveLength(1);
    expect(summary.keys[0]).toMatchObject({
      signing: true,
      encryption: null,
      serial: signing.serialHex,
      email: 'alice@example.test',
    });
    expect(summary.caCertificates.map((c) => c.subject)).toEqual(['CN=Sealmail Test Root CA']);
  }, 60_000);

  it('imports a -legacy .p12 (RC2-40 certificates, 3DES key, SHA-1 MAC)', () => {
    const p12 = opensslP12(encryption, 'legacy.p12', ['-legacy']);
    // Check that OpenSSL really made the legacy schemes, so this test tests what it says.
    const made = openssl([
      'pkcs12',
      '-info',
      '-noout',
      '-legacy',
      '-in',
      p12,
      '-passin',
      `file:${p12PasswordFile}`,
    ]).output;
    expect(made).toContain('MAC: sha1');
    expect(made).toContain('pbeWithSHA1And40BitRC2-CBC');
    expect(made).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');

    const keyFile = join(pki.dir, 'from-legacy.keyfile');
    importInto(keyFile, p12);
    const summary = info(keyFile);
    expect(summary.keys).toEqual([
      expect.objectContaining({ signing: false, encryption: 'current', serial: encryption.serialHex }),
    ]);
    expect(summary.protection.encryption.join('\n')).toContain('AES-256-CBC');
  }, 60_000);

  it('adds imported keys to an existing key file: the newest encryption key is current', () => {
    const keyFile = join(pki.dir, 'merged.keyfile');
    importInto(keyFile, opensslP12(signing, 'm-signing.p12'));
    importInto(keyFile, opensslP12(encryption, 'm-encryption.p12'));
    importInto(keyFile, opensslP12(renewed, 'm-renewed.p12'));
    const roles = info(keyFile).keys.map((k) => [k.serial, k.signing, k.encryption]);
    expect(roles).toEqual([
      [signing.serialHex, true, null],
      [encryption.serialHex, false, 'previous'],
      [renewed.serialHex, false, 'current'],
    ]);
  }, 120_000);
});

describe('OpenSSL reading Sealmail key files', () => {
  let keyFile: string;

  beforeAll(() => {
    keyFile = join(pki.dir, 'alice.keyfile');
    importInto(keyFile, opensslP12(signing, 'o-signing.p12'));
    importInto(keyFile, opensslP12(encryption, 'o-encryption.p12'));
  }, 120_000);

  it('`openssl pkcs12 -info -noout` opens a Sealmail key file and reports PBKDF2-SHA256, AES-256 and the SHA-256 MAC', () => {
    const result = openssl(['pkcs12', '-info', '-noout', '-in', keyFile, '-passin', `file:${passwordFile}`]);
    expect(result.status).toBe(0);
    expect(result.output).toContain('MAC: sha256, Iteration 600000');
    expect(result.output).toMatch(
      /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256/,
    );
    expect(result.output).toMatch(
      /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256/,
    );
  }, 60_000);

  it('gives OpenSSL the same private keys, each named by its role', () => {
    const result = openssl(['pkcs12', '-in', keyFile, '-passin', `file:${passwordFile}`, '-nodes']);
    expect(result.status).toBe(0);
    expect(result.output).toContain('friendlyName: Sealmail signing key');
    expect(result.output).toContain('friendlyName: Sealmail encryption key (current)');
    const keys = result.output.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/g) ?? [];
    expect(keys.map(publicKeyOf).sort()).toEqual([signing.keyPem, encryption.keyPem].map(publicKeyOf).sort());
  }, 60_000);

  it('exports a .p12 under its own password that OpenSSL opens', () => {
    const out = join(pki.dir, 'exported.p12');
    const result = cli([
      'keyfile',
      'export',
      '--key-file',
      keyFile,
      '--password-file',
      passwordFile,
      '--p12',
      out,
      '--p12-password-file',
      p12PasswordFile,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const opened = openssl(['pkcs12', '-in', out, '-passin', `file:${p12PasswordFile}`, '-nodes']);
    expect(opened.status).toBe(0);
    expect(opened.output).toContain(signing.certPem.split('\n')[1]);
    // The key-file password does not open the export.
    expect(
      openssl(['pkcs12', '-info', '-noout', '-in', out, '-passin', `file:${passwordFile}`]).status,
    ).not.toBe(0);
  }, 60_000);

  it('exits non-zero with WRONG_PASSWORD and a clear message for a wrong password', () => {
    const wrong = pki.writeFile('wrong-password', 'Keyfile password 1\n');
    const result = cli(['keyfile', 'info', '--key-file', keyFile, '--password-file', wrong, '--json']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^sealmail: WRONG_PASSWORD: The password is wrong: it does not open this key file/,
    );
  }, 60_000);

  it('exits non-zero with KEYFILE_TAMPERED for a key file with one flipped byte', () => {
    const bytes = new Uint8Array(readFileSync(keyFile));
    bytes[Math.floor(bytes.length / 3)] ^= 0x04;
    const tampered = pki.writeFile('tampered.keyfile', bytes);
    const result = cli([
      'keyfile',
      'info',
      '--key-file',
      tampered,
      '--password-file',
      passwordFile,
      '--json',
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/^sealmail: KEYFILE_TAMPERED: The key file has been changed or damaged/);
  }, 60_000);

  it('exits non-zero with MALFORMED_KEYFILE for a file that is not a key file', () => {
    const result = cli([
      'keyfile',
      'info',
      '--key-file',
      pki.root.certFile,
      '--password-file',
      passwordFile,
      '--json',
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/^sealmail: MALFORMED_KEYFILE: This is not a key file/);
  }, 60_000);

  it('exits non-zero with WRONG_PASSWORD when the .p12 password is wrong on import', () => {
    const wrong = pki.writeFile('wrong-p12-password', 'not it\n');
    const result = cli([
      'keyfile',
      'import',
      '--p12',
      opensslP12(renewed, 'w.p12'),
      '--p12-password-file',
      wrong,
      '--key-file',
      join(pki.dir, 'never-written.keyfile'),
      '--password-file',
      passwordFile,
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/WRONG_PASSWORD: The password is wrong: it does not open this \.p12 file/);
  }, 60_000);
});
