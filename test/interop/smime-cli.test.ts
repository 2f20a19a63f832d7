// `sealmail seal` and `sealmail open --json` exactly as issue 3's CLI contract states, against
// `openssl cms` on the other side. Runs the built CLI (bin/sealmail.js), as a user would.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { plainMessage } from '../support/smime-identities.js';

const repoRoot = join(import.meta.dirname, '..', '..');
let pki: TestPki;
let alice: IssuedCertificate;
let bob: IssuedCertificate;
let aliceKeyFile: string;
let passwordFile: string;

function sealmail(args: string[], input?: Uint8Array) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'sealmail.js'), ...args], {
    cwd: pki.dir,
    input,
    maxBuffer: 256 * 1024 * 1024,
    // `open` saves harvested certificates in the Sealmail home: keep them out of the real one.
    env: { ...process.env, SEALMAIL_HOME: join(pki.dir, 'sealmail-home') },
  });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

function openJson(args: string[]) {
  const result = sealmail(['open', ...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

beforeAll(() => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', commonName: 'Alice', purpose: 'both' });
  bob = pki.issueUser({ email: 'bob@example.test', commonName: 'Bob', purpose: 'both' });
  passwordFile = pki.writeFile('password.txt', 'correct horse\n');
  const p12 = (who: IssuedCertificate, name: string) => {
    const out = join(pki.dir, `${name}.p12`);
    pki.openssl([
      'pkcs12',
      '-export',
      '-inkey',
      who.keyFile,
      '-in',
      who.certFile,
      '-certfile',
      pki.root.certFile,
      '-passout',
      `file:${passwordFile}`,
      '-out',
      out,
    ]);
    return out;
  };
  aliceKeyFile = p12(alice, 'alice');
});
afterAll(() => pki.cleanup());

describe('sealmail seal', () => {
  it('signs and encrypts so that openssl decrypts and verifies, and keeps the headers', () => {
    const plain = pki.writeFile('plain.eml', plainMessage({ body: 'Hello Bob, from the CLI.\r\n' }));
    const sealed = sealmail([
      'seal',
      '--in',
      plain,
      '--out',
      'sealed.eml',
      '--sign',
      '--key-file',
      aliceKeyFile,
      '--password-file',
      passwordFile,
      '--encrypt',
      '--recipient-cert',
      bob.certFile,
    ]);
    expect(sealed.status).toBe(0);
    const sealedText = readFileSync(join(pki.dir, 'sealed.eml'), 'utf8');
    expect(sealedText).toMatch(/^From: Alice <alice@example.test>\r\n/);
    expect(sealedText).toContain('Subject: Quarterly figures');
    const inner = pki.openssl([
      'cms',
      '-decrypt',
      '-in',
      'sealed.eml',
      '-recip',
      bob.certFile,
      '-inkey',
      bob.keyFile,
    ]);
    const verified = pki.openssl(['cms', '-verify', '-CAfile', pki.root.certFile], inner).toString();
    expect(verified).toContain('Hello Bob, from the CLI.');
    // The sender's own certificate is a recipient too: Alice can read her Sent copy.
    pki.openssl(['cms', '-decrypt', '-in', 'sealed.eml', '-recip', alice.certFile, '-inkey', alice.keyFile]);
  });

  it('reads stdin and writes stdout with -', () => {
    const result = sealmail(
      [
        'seal',
        '--in',
        '-',
        '--out',
        '-',
        '--sign',
        '--key-file',
        aliceKeyFile,
        '--password-file',
        passwordFile,
      ],
      plainMessage(),
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('multipart/signed');
  });
});

describe('sealmail seal then sealmail open', () => {
  it.each([
    ['--triple-wrap', ['--triple-wrap']],
    ['--opaque', ['--opaque']],
    ['--rsa-pss', ['--rsa-pss']],
  ])('%s round-trips, trusting the root in the key file', (_name, extra) => {
    const plain = pki.writeFile('plain-rt.eml', plainMessage({ body: 'Round trip.\r\n' }));
    const sealed = sealmail([
      'seal',
      '--in',
      plain,
      '--out',
      'rt.eml',
      '--sign',
      '--encrypt',
      ...extra,
      '--key-file',
      aliceKeyFile,
      '--password-file',
      passwordFile,
      '--recipient-cert',
      bob.certFile,
    ]);
    expect(sealed.stderr).not.toMatch(/sealmail: /);
    expect(sealed.status).toBe(0);
    const report = openJson([
      '--in',
      'rt.eml',
      '--out',
      'rt-opened.eml',
      '--key-file',
      aliceKeyFile,
      '--password-file',
      passwordFile,
    ]);
    expect(report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      signature: 'valid',
      fromMatchesSigner: true,
    });
    expect(readFileSync(join(pki.dir, 'rt-opened.eml'), 'utf8')).toContain('Round trip.');
  });
});

describe('sealmail open --json', () => {
  it('opens what openssl signed and encrypted, with the contract’s exact keys', () => {
    const entity = pki.writeFile('entity.txt', 'Content-Type: text/plain\r\n\r\nFrom openssl.\r\n');
    const signed = pki.openssl([
      'cms',
      '-sign',
      '-in',
      entity,
      '-signer',
      bob.certFile,
      '-inkey',
      bob.keyFile,
    ]);
    pki.writeFile('signed.mime', signed);
    pki.openssl([
      'cms',
      '-encrypt',
      '-in',
      'signed.mime',
      '-aes-256-cbc',
      '-from',
      'Bob <bob@example.test>',
      '-to',
      'alice@example.test',
      '-subject',
      'hi',
      '-out',
      'from-openssl.eml',
      alice.certFile,
    ]);
    const report = openJson([
      '--in',
      'from-openssl.eml',
      '--out',
      'opened.eml',
      '--key-file',
      aliceKeyFile,
      '--password-file',
      passwordFile,
      '--trust',
      pki.root.certFile,
    ]);
    expect(Object.keys(report)).toEqual([
      'encrypted',
      'decrypted',
      'signed',
      'signature',
      'signer',
      'from',
      'fromMatchesSigner',
      'errors',
      'warnings',
    ]);
    expect(report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      signature: 'valid',
      signer: { email: 'bob@example.test', serial: bob.serialHex },
      from: 'bob@example.test',
      fromMatchesSigner: true,
      errors: [],
    });
    expect(readFileSync(join(pki.dir, 'opened.eml'), 'utf8')).toContain('From openssl.');
  });

  it('says expired with --at after the certificate ends, and revoked with a CRL', () => {
    const signedFile = pki.writeFile(
      'to-check.eml',
      pki.openssl([
        'cms',
        '-sign',
        '-in',
        pki.writeFile('e.txt', 'Content-Type: text/plain\r\n\r\nx\r\n'),
        '-signer',
        alice.certFile,
        '-inkey',
        alice.keyFile,
        '-from',
        'alice@example.test',
      ]),
    );
    const later = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();
    expect(openJson(['--in', signedFile, '--trust', pki.root.certFile, '--at', later]).signature).toBe(
      'expired',
    );
    pki.revoke(alice);
    const crl = pki.crl();
    const revoked = openJson(['--in', signedFile, '--trust', pki.root.certFile, '--crl', crl.file]);
    expect(revoked.signature).toBe('revoked');
  });

  it('a wrong password exits non-zero with a coded, readable error', () => {
    const wrong = pki.writeFile('wrong.txt', 'not it\n');
    const encrypted = pki.writeFile(
      'enc.eml',
      pki.openssl([
        'cms',
        '-encrypt',
        '-in',
        pki.writeFile('p.txt', 'Content-Type: text/plain\r\n\r\nx\r\n'),
        alice.certFile,
      ]),
    );
    const result = sealmail([
      'open',
      '--in',
      encrypted,
      '--key-file',
      aliceKeyFile,
      '--password-file',
      wrong,
      '--json',
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/WRONG_PASSWORD/);
    expect(result.stdout).toBe('');
  });

  it('writes nothing when the key file does not unlock, and leaves an existing file as it was', () => {
    // seal and open start on the message while the key file unlocks, and seal writes its output
    // as it is made: no byte may go out before the unlock (and its integrity check) succeeded.
    const wrong = pki.writeFile('wrong-again.txt', 'not it either\n');
    const plain = pki.writeFile('plain-for-wrong.eml', plainMessage({ body: 'Kept safe.\r\n' }));
    const sealedOut = pki.writeFile('sealed-before.eml', 'an earlier file\n');
    const sealed = sealmail([
      'seal',
      '--in',
      plain,
      '--out',
      sealedOut,
      '--sign',
      '--encrypt',
      '--recipient-cert',
      bob.certFile,
      '--key-file',
      aliceKeyFile,
      '--password-file',
      wrong,
    ]);
    expect(sealed.status).not.toBe(0);
    expect(sealed.stderr).toMatch(/WRONG_PASSWORD/);
    expect(readFileSync(sealedOut, 'utf8')).toBe('an earlier file\n');

    const openedOut = join(pki.dir, 'opened-never.eml');
    const opened = sealmail([
      'open',
      '--in',
      plain,
      '--out',
      openedOut,
      '--key-file',
      aliceKeyFile,
      '--password-file',
      wrong,
      '--json',
    ]);
    expect(opened.status).not.toBe(0);
    expect(opened.stderr).toMatch(/WRONG_PASSWORD/);
    expect(opened.stdout).toBe('');
    expect(existsSync(openedOut)).toBe(false);
  });

  it('no matching key exits non-zero', () => {
    const encrypted = pki.writeFile(
      'for-bob.eml',
      pki.openssl([
        'cms',
        '-encrypt',
        '-in',
        pki.writeFile('q.txt', 'Content-Type: text/plain\r\n\r\nx\r\n'),
        bob.certFile,
      ]),
    );
    const result = sealmail([
      'open',
      '--in',
      encrypted,
      '--key-file',
      aliceKeyFile,
      '--password-file',
      passwordFile,
      '--json',
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/NO_MATCHING_KEY/);
  });

  it('an encrypted message without a key file exits non-zero and says what to give', () => {
    const encrypted = pki.writeFile(
      'no-key.eml',
      pki.openssl([
        'cms',
        '-encrypt',
        '-in',
        pki.writeFile('r.txt', 'Content-Type: text/plain\r\n\r\nx\r\n'),
        alice.certFile,
      ]),
    );
    const result = sealmail(['open', '--in', encrypted, '--json']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/NO_MATCHING_KEY.*--key-file/);
  });

  it('input that is not a message exits non-zero', () => {
    const junk = pki.writeFile('junk.bin', new Uint8Array([0, 1, 2, 3, 255, 10, 10]));
    const result = sealmail(['open', '--in', junk, '--json']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/MALFORMED_MESSAGE/);
  });
});
