// Signatures both ways between Sealmail and `openssl cms` (issue 3 interop matrix, signature
// half): whatever openssl signs, Sealmail verifies with the right verdict and content; whatever
// Sealmail signs, `openssl cms -verify` accepts against the same root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPki,
  type CertificateAuthority,
  type IssuedCertificate,
  type KeySpec,
  type TestPki,
} from '../support/openssl-pki.js';
import { infoOf, plainMessage, signingIdentity, text } from '../support/smime-identities.js';
import { sealMessage } from '../../core/smime/seal.js';
import { openMessage } from '../../core/smime/open.js';

let pki: TestPki;
let intermediate: CertificateAuthority;
const signers: Record<string, IssuedCertificate> = {};
const keys: Record<string, KeySpec> = {
  rsa: { type: 'rsa' },
  'ec-p256': { type: 'ec', curve: 'P-256' },
  'ec-p384': { type: 'ec', curve: 'P-384' },
};

beforeAll(() => {
  pki = createTestPki();
  intermediate = pki.issueIntermediate('Sealmail Test Issuing CA');
  for (const [name, key] of Object.entries(keys)) {
    signers[name] = pki.issueUser(
      { email: 'alice@example.test', commonName: `Alice ${name}`, key, purpose: 'signing' },
      intermediate,
    );
  }
});
afterAll(() => pki.cleanup());

const trust = () => ({ anchors: [infoOf(pki.root)] });
const content =
  'Content-Type: text/plain; charset=us-ascii\r\n\r\nFrom openssl with love.\r\nSecond line.\r\n';

function opensslSign(signer: IssuedCertificate, extra: string[]): Uint8Array {
  const input = pki.writeFile(`content-${Math.random().toString(36).slice(2)}.txt`, content);
  const out = pki.openssl([
    'cms',
    '-sign',
    '-in',
    input,
    '-signer',
    signer.certFile,
    '-inkey',
    signer.keyFile,
    '-certfile',
    intermediate.certFile,
    '-md',
    'sha256',
    '-from',
    'Alice <alice@example.test>',
    '-to',
    'bob@example.test',
    '-subject',
    'interop',
    ...extra,
  ]);
  return new Uint8Array(out);
}

describe('openssl signs, Sealmail verifies', () => {
  const cases: [string, string, string[]][] = [];
  for (const key of Object.keys(keys)) {
    cases.push([key, 'detached', []]);
    cases.push([key, 'opaque', ['-nodetach']]);
  }
  cases.push(['rsa', 'detached RSA-PSS', ['-keyopt', 'rsa_padding_mode:pss']]);
  cases.push(['rsa', 'opaque RSA-PSS', ['-nodetach', '-keyopt', 'rsa_padding_mode:pss']]);

  it.each(cases)('%s, %s', async (key, _shape, extra) => {
    const signed = opensslSign(signers[key], extra);
    const opened = await openMessage(signed, trust());
    expect(opened.report).toMatchObject({
      signed: true,
      signature: 'valid',
      signer: { email: 'alice@example.test', serial: signers[key].serialHex },
      from: 'alice@example.test',
      fromMatchesSigner: true,
      errors: [],
    });
    expect(text(opened.message)).toContain('From openssl with love.\r\nSecond line.');
  });

  it('an openssl signature by a self-signed certificate is untrusted', async () => {
    const self = pki.selfSignedUser({ email: 'alice@example.test', purpose: 'signing' });
    const input = pki.writeFile('self.txt', content);
    const signed = pki.openssl([
      'cms',
      '-sign',
      '-in',
      input,
      '-signer',
      self.certFile,
      '-inkey',
      self.keyFile,
      '-from',
      'alice@example.test',
    ]);
    const opened = await openMessage(new Uint8Array(signed), trust());
    expect(opened.report.signature).toBe('untrusted');
    expect(opened.report.errors.map((e) => e.code)).toContain('SIGNER_UNTRUSTED');
  });
});

describe('Sealmail signs, openssl verifies', () => {
  const cases: [string, 'pkcs1' | 'pss'][] = [
    ['rsa', 'pkcs1'],
    ['rsa', 'pss'],
    ['ec-p256', 'pkcs1'],
    ['ec-p384', 'pkcs1'],
  ];
  it.each(cases)('%s (%s)', async (key, rsaScheme) => {
    const identity = await signingIdentity(signers[key], { chain: [intermediate], rsaScheme });
    const sealed = await sealMessage(plainMessage({ body: 'Signed by Sealmail.\r\n' }), {
      sign: { identity },
    });
    const file = pki.writeFile(`sealed-${key}-${rsaScheme}.eml`, sealed);
    const verified = pki.openssl(['cms', '-verify', '-in', file, '-CAfile', pki.root.certFile]).toString();
    expect(verified).toContain('Signed by Sealmail.');
    // openssl's own view of the signed attributes: SMIMECapabilities and the signing time are there.
    const printed = pki.openssl(['cms', '-cmsout', '-print', '-in', file]).toString();
    expect(printed).toMatch(/S\/MIME Capabilities|SMIMECapabilities|1\.2\.840\.113549\.1\.9\.15/);
    expect(printed).toMatch(/signingTime|1\.2\.840\.113549\.1\.9\.5/);
  });

  it('carries SMIMEEncryptionKeyPreference naming the separate encryption certificate', async () => {
    const encryption = pki.issueUser({ email: 'alice@example.test', purpose: 'encryption' }, intermediate);
    const identity = await signingIdentity(signers.rsa, { chain: [intermediate], encryption });
    const sealed = await sealMessage(plainMessage(), { sign: { identity } });
    const file = pki.writeFile('sealed-pref.eml', sealed);
    pki.openssl(['cms', '-verify', '-in', file, '-CAfile', pki.root.certFile]);
    const printed = pki.openssl(['cms', '-cmsout', '-print', '-in', file]).toString();
    expect(printed).toMatch(/1\.2\.840\.113549\.1\.9\.16\.2\.11|encrypKeyPref|id-smime-aa-encrypKeyPref/);
  });
});
