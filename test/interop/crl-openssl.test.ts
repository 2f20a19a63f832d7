// Sealmail's CRL reader against OpenSSL on CRLs made by `openssl ca -gencrl`: every serial that
// `openssl crl -text` lists (odd encodings included) must be revoked with the same date and
// reason, real certificates must get the answer `openssl verify -crl_check` gives, and forged,
// foreign, stale and mismatched CRLs must be refused with their coded errors.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { readCertificateFacts } from '../../core/pki/crl/certificate-facts.js';
import { crlRevocationChecker, LoadedCrls } from '../../core/pki/crl/crl-revocation-checker.js';
import { reasonName } from '../../core/pki/crl/revoked-index.js';
import { checkCrlScope, crlAnswer } from '../../core/pki/crl/revocation-status.js';
import { serialFromHex, serialToHex } from '../../core/pki/crl/serial-key.js';
import { loadVerifiedCrl, type VerifiedCrl } from '../../core/pki/crl/verified-crl.js';
import {
  appendRevocations,
  generateCrl,
  opensslRevocations,
  writeRevocations,
  type GeneratedCrl,
} from '../support/openssl-crl.js';
import { createTestPki, runOpenssl, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

const opensslReasons: Record<string, string> = {
  Unspecified: 'unspecified',
  'Key Compromise': 'keyCompromise',
  'CA Compromise': 'cACompromise',
  'Affiliation Changed': 'affiliationChanged',
  Superseded: 'superseded',
  'Cessation Of Operation': 'cessationOfOperation',
  'Certificate Hold': 'certificateHold',
  'Remove From CRL': 'removeFromCRL',
};

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof SealmailError) return error.code;
    throw error;
  }
  return 'no error';
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/index.ts', ...args], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `openssl verify -crl_check`: does OpenSSL call this certificate revoked under this CRL? */
function opensslSaysRevoked(pki: TestPki, certificate: IssuedCertificate, crl: GeneratedCrl): boolean {
  const result = spawnSync(
    'openssl',
    ['verify', '-crl_check', '-CAfile', pki.root.certFile, '-CRLfile', crl.file, certificate.certFile],
    { encoding: 'utf8' },
  );
  if (result.status === 0) return false;
  if (/certificate revoked/.test(result.stdout + result.stderr)) return true;
  throw new Error(`openssl verify failed for another reason: ${result.stdout}${result.stderr}`);
}

describe('CRLs made by openssl ca -gencrl', () => {
  let pki: TestPki;
  let other: TestPki;
  let alice: IssuedCertificate;
  let bob: IssuedCertificate;
  let crl: GeneratedCrl;
  let verified: VerifiedCrl;

  beforeAll(async () => {
    pki = createTestPki();
    other = createTestPki({ rootName: 'Sealmail Test Root CA' });
    alice = pki.issueUser({ email: 'alice@example.test' });
    bob = pki.issueUser({ email: 'bob@example.test' });
    pki.revoke(alice, pki.root, 'keyCompromise');
    // Serials no well-behaved CA issues, but OpenSSL accepts and so must Sealmail.
    appendRevocations(pki.root, [
      { serialHex: '00', revokedAt: hoursAgo(5), reason: 'superseded' },
      { serialHex: '0001', revokedAt: hoursAgo(6) },
      { serialHex: '80', revokedAt: hoursAgo(7), reason: 'cessationOfOperation' },
      { serialHex: '-81', revokedAt: hoursAgo(8), reason: 'certificateHold' },
      { serialHex: '-01', revokedAt: hoursAgo(9), reason: 'unspecified' },
      { serialHex: '7F' + 'FF'.repeat(19), revokedAt: hoursAgo(10), reason: 'affiliationChanged' },
      { serialHex: 'FF'.repeat(20), revokedAt: hoursAgo(11), reason: 'CACompromise' },
      { serialHex: '00' + '12'.repeat(19), revokedAt: hoursAgo(12) },
    ]);
    crl = generateCrl(pki.root);
    verified = await loadVerifiedCrl(crl.der, pki.root.certDer);
  });
  afterAll(() => {
    pki?.cleanup();
    other?.cleanup();
  });

  it('agrees with openssl crl -text on every listed serial, date and reason', () => {
    const listed = opensslRevocations(crl.file);
    expect(listed.length).toBe(9);
    expect(verified.entries.count).toBe(listed.length);
    for (const entry of listed) {
      const hit = verified.entries.find(serialFromHex(entry.serialHex));
      expect(hit, entry.serialHex).not.toBeNull();
      expect(new Date(hit!.revokedAt * 1000).toISOString(), entry.serialHex).toBe(
        entry.revokedAt.toISOString(),
      );
      expect(reasonName(hit!.reason), entry.serialHex).toBe(
        entry.reason ? opensslReasons[entry.reason] : null,
      );
    }
    // The index lists the same serial set back, in OpenSSL's spelling.
    const ours = Array.from({ length: verified.entries.count }, (_, i) =>
      serialToHex(verified.entries.serialAt(i)),
    );
    expect(ours.sort()).toEqual(listed.map((e) => e.serialHex).sort());
  });

  it('does not confuse neighbours, signs or padding of listed serials', () => {
    for (const hex of [
      '02',
      '81',
      '-80',
      '01' + 'FF'.repeat(19),
      '-02',
      '7F' + 'FF'.repeat(18) + 'FE',
      '12'.repeat(19) + '13',
    ]) {
      expect(verified.entries.find(serialFromHex(hex)), hex).toBeNull();
    }
    expect(verified.entries.find(serialFromHex('0080'))).not.toBeNull();
    expect(verified.entries.find(serialFromHex('000001'))).not.toBeNull();
  });

  it('gives real certificates the answer openssl verify -crl_check gives', async () => {
    const checker = crlRevocationChecker(loaded(verified), 'fail-closed');
    for (const certificate of [alice, bob]) {
      const answer = await checker.status(certificate.certDer, pki.root.certDer, new Date());
      expect(answer.status === 'revoked', certificate.email ?? '').toBe(
        opensslSaysRevoked(pki, certificate, crl),
      );
    }
    const answer = await checker.status(alice.certDer, pki.root.certDer, new Date());
    expect(answer).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
  });

  it('rejects a CRL whose signature was forged or whose entries were altered', async () => {
    const forged = crl.der.slice();
    forged[forged.length - 5] ^= 0x01;
    expect(await codeOf(loadVerifiedCrl(forged, pki.root.certDer))).toBe('CRL_SIGNATURE_INVALID');
    // One revocation date moved by a second: the TBS no longer matches the signature.
    const altered = crl.der.slice();
    const at = Buffer.from(altered).indexOf(Buffer.from([0x17, 0x0d]), 200);
    altered[at + 13] = altered[at + 13] === 0x30 ? 0x31 : 0x30;
    expect(await codeOf(loadVerifiedCrl(altered, pki.root.certDer))).toBe('CRL_SIGNATURE_INVALID');
    const file = pki.writeFile('forged.crl', forged);
    const openssl = spawnSync(
      'openssl',
      ['crl', '-inform', 'DER', '-in', file, '-CAfile', pki.root.certFile, '-noout'],
      {
        encoding: 'utf8',
      },
    );
    expect(openssl.stderr).toMatch(/verify fail/i);
  });

  it('rejects a CRL checked against another CA, even one with the same name', async () => {
    expect(await codeOf(loadVerifiedCrl(crl.der, alice.certDer))).toBe('CRL_WRONG_ISSUER');
    // Same subject name, different key: only the signature can tell them apart.
    expect(await codeOf(loadVerifiedCrl(crl.der, other.root.certDer))).toBe('CRL_SIGNATURE_INVALID');
  });

  it('gives truncated and garbage input a coded error', async () => {
    expect(await codeOf(loadVerifiedCrl(crl.der.subarray(0, crl.der.length - 10), pki.root.certDer))).toBe(
      'MALFORMED_CRL',
    );
    expect(
      await codeOf(loadVerifiedCrl(new TextEncoder().encode('not a CRL at all'), pki.root.certDer)),
    ).toBe('MALFORMED_CRL');
    expect(await codeOf(loadVerifiedCrl(Uint8Array.of(0x30, 0x82, 0xff), pki.root.certDer))).toBe(
      'MALFORMED_CRL',
    );
  });

  it('warns about a stale CRL, and fails closed when policy says so', async () => {
    const stale = generateCrl(pki.root, { lastUpdate: hoursAgo(72), nextUpdate: hoursAgo(24) });
    const set = { complete: await loadVerifiedCrl(stale.der, pki.root.certDer), delta: null };
    const warned = crlAnswer(set, readCertificateFacts(alice.certDer).serial, new Date(), 'warn');
    expect(warned).toMatchObject({ revoked: true, stale: true });
    expect(
      await codeOf(() =>
        crlAnswer(set, readCertificateFacts(alice.certDer).serial, new Date(), 'fail-closed'),
      ),
    ).toBe('CRL_STALE');
    const checker = crlRevocationChecker(loaded(set.complete), 'warn');
    const answer = await checker.status(bob.certDer, pki.root.certDer, new Date());
    expect(answer).toMatchObject({ status: 'good', warning: { code: 'CRL_STALE' } });
    const closed = await crlRevocationChecker(loaded(set.complete), 'fail-closed').status(
      bob.certDer,
      pki.root.certDer,
      new Date(),
    );
    expect(closed).toMatchObject({ status: 'unknown', problem: { code: 'CRL_STALE' } });
  });

  it('applies a delta CRL: new revocations count and removeFromCRL lifts a hold', async () => {
    const ca = other.root;
    const carol = other.issueUser({ email: 'carol@example.test' });
    const dave = other.issueUser({ email: 'dave@example.test' });
    const erin = other.issueUser({ email: 'erin@example.test' });
    const serial = (c: IssuedCertificate) => c.serialHex.toUpperCase();
    writeRevocations(ca, [
      { serialHex: serial(carol), revokedAt: hoursAgo(30), reason: 'certificateHold' },
      { serialHex: serial(erin), revokedAt: hoursAgo(30), reason: 'keyCompromise' },
    ]);
    const base = generateCrl(ca, { crlNumber: 3 });
    writeRevocations(ca, [
      { serialHex: serial(carol), revokedAt: hoursAgo(2), reason: 'removeFromCRL' },
      { serialHex: serial(dave), revokedAt: hoursAgo(1), reason: 'superseded' },
    ]);
    const delta = generateCrl(ca, { crlNumber: 4, extensions: ['deltaCRL = critical, ASN1:INTEGER:3'] });
    const complete = await loadVerifiedCrl(base.der, ca.certDer);
    const deltaCrl = await loadVerifiedCrl(delta.der, ca.certDer);
    const checker = crlRevocationChecker(loaded(complete, deltaCrl), 'fail-closed');
    const now = new Date();
    expect((await checker.status(carol.certDer, ca.certDer, now)).status).toBe('good');
    expect(await checker.status(dave.certDer, ca.certDer, now)).toMatchObject({
      status: 'revoked',
      reason: 'superseded',
    });
    expect(await checker.status(erin.certDer, ca.certDer, now)).toMatchObject({
      status: 'revoked',
      reason: 'keyCompromise',
    });
    // Without the delta, the base alone still has carol on hold and knows nothing of dave.
    const baseOnly = crlRevocationChecker(loaded(complete), 'fail-closed');
    expect(await baseOnly.status(carol.certDer, ca.certDer, now)).toMatchObject({
      status: 'revoked',
      reason: 'certificateHold',
    });
    expect((await baseOnly.status(dave.certDer, ca.certDer, now)).status).toBe('good');

    // A delta for a newer base, or a delta used as the complete CRL, does not fit.
    const tooNew = await loadVerifiedCrl(
      generateCrl(ca, { crlNumber: 9, extensions: ['deltaCRL = critical, ASN1:INTEGER:8'] }).der,
      ca.certDer,
    );
    const davesSerial = readCertificateFacts(dave.certDer).serial;
    expect(await codeOf(() => crlAnswer({ complete, delta: tooNew }, davesSerial, now, 'warn'))).toBe(
      'CRL_DELTA_MISMATCH',
    );
    expect(
      await codeOf(() => crlAnswer({ complete: deltaCrl, delta: complete }, davesSerial, now, 'warn')),
    ).toBe('CRL_DELTA_MISMATCH');
  });

  it('refuses a CRL whose issuing distribution point does not cover the certificate', async () => {
    const intermediate = pki.issueIntermediate('Sealmail Test Sub CA');
    const userOnly = generateCrl(pki.root, {
      extensions: ['issuingDistributionPoint = critical, @idp_users', '[ idp_users ]', 'onlyuser = TRUE'],
    });
    const usersCrl = await loadVerifiedCrl(userOnly.der, pki.root.certDer);
    expect(await codeOf(() => checkCrlScope(usersCrl, readCertificateFacts(intermediate.certDer)))).toBe(
      'CRL_SCOPE_MISMATCH',
    );
    expect(await codeOf(() => checkCrlScope(usersCrl, readCertificateFacts(bob.certDer)))).toBe('no error');
    const partitioned = generateCrl(pki.root, {
      extensions: [
        'issuingDistributionPoint = critical, @idp_part',
        '[ idp_part ]',
        'fullname = URI:http://crl.example.test/part7.crl',
      ],
    });
    const partCrl = await loadVerifiedCrl(partitioned.der, pki.root.certDer);
    const answer = await crlRevocationChecker(loaded(partCrl), 'warn').status(
      bob.certDer,
      pki.root.certDer,
      new Date(),
    );
    expect(answer).toMatchObject({ status: 'unknown', problem: { code: 'CRL_SCOPE_MISMATCH' } });
  });

  it('sealmail crl check prints the answer as JSON and fails with a code on a bad CRL', () => {
    const aliceSerial = alice.serialHex;
    const result = cli([
      'crl',
      'check',
      '--crl',
      crl.derFile,
      '--issuer',
      pki.root.certFile,
      '--serial',
      aliceSerial,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const parsed: unknown = JSON.parse(result.stdout);
    const listed = opensslRevocations(crl.file).find((e) => e.serialHex === aliceSerial.toUpperCase())!;
    expect(parsed).toEqual({
      revoked: true,
      reason: 'keyCompromise',
      revocationDate: listed.revokedAt.toISOString(),
      thisUpdate: new Date(verified.facts.thisUpdate * 1000).toISOString(),
      nextUpdate: new Date(verified.facts.nextUpdate! * 1000).toISOString(),
    });
    const good = cli([
      'crl',
      'check',
      '--crl',
      crl.file,
      '--issuer',
      pki.root.certFile,
      '--serial',
      bob.serialHex,
      '--json',
    ]);
    expect(JSON.parse(good.stdout)).toMatchObject({ revoked: false, reason: null, revocationDate: null });

    const forged = crl.der.slice();
    forged[forged.length - 5] ^= 0x01;
    const forgedFile = join(pki.dir, 'forged-cli.crl');
    writeFileSync(forgedFile, forged);
    const bad = cli([
      'crl',
      'check',
      '--crl',
      forgedFile,
      '--issuer',
      pki.root.certFile,
      '--serial',
      '01',
      '--json',
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/CRL_SIGNATURE_INVALID/);
    const wrong = cli([
      'crl',
      'check',
      '--crl',
      crl.file,
      '--issuer',
      alice.certFile,
      '--serial',
      '01',
      '--json',
    ]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/CRL_WRONG_ISSUER/);
  });

  it('the openssl on this machine reads the same CRL', () => {
    expect(runOpenssl(['crl', '-in', crl.file, '-CAfile', pki.root.certFile, '-noout']).toString()).toBe('');
  });
});

function loaded(complete: VerifiedCrl, delta: VerifiedCrl | null = null): LoadedCrls {
  const crls = new LoadedCrls();
  crls.add(complete, delta);
  return crls;
}
