// Detached multipart/signed: Sealmail signs, Sealmail verifies, and the verdict says what a
// reader needs to know (issue 3). Certificates are made fresh by openssl for this run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { infoOf, plainMessage, signingIdentity, text } from '../support/smime-identities.js';
import { sealMessage } from '../../core/smime/seal.js';
import { openMessage } from '../../core/smime/open.js';

// openssl makes fresh keys for every run; on a busy shared machine that takes seconds.
const pkiTimeout = 60_000;

let pki: TestPki;
let alice: IssuedCertificate;
let aliceEncryption: IssuedCertificate;
let ecSigner: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', commonName: 'Alice', purpose: 'signing' });
  aliceEncryption = pki.issueUser({
    email: 'alice@example.test',
    commonName: 'Alice',
    purpose: 'encryption',
  });
  ecSigner = pki.issueUser({
    email: 'alice@example.test',
    key: { type: 'ec', curve: 'P-256' },
    purpose: 'signing',
  });
}, pkiTimeout);
afterAll(() => pki.cleanup());

const trust = () => ({ anchors: [infoOf(pki.root)] });

describe('detached signatures', { timeout: pkiTimeout }, () => {
  it('signs with RSA and verifies as valid, from the signer', async () => {
    const identity = await signingIdentity(alice, { encryption: aliceEncryption });
    const sealed = await sealMessage(plainMessage(), { sign: { identity } });
    const sealedText = text(sealed);
    expect(sealedText).toMatch(
      /Content-Type: multipart\/signed; protocol="application\/pkcs7-signature";\r\n micalg=sha-256/,
    );
    expect(sealedText).toContain('Subject: Quarterly figures\r\n');
    const opened = await openMessage(sealed, trust());
    expect(opened.report).toMatchObject({
      encrypted: false,
      signed: true,
      signature: 'valid',
      signer: { email: 'alice@example.test', serial: alice.serialHex },
      from: 'alice@example.test',
      fromMatchesSigner: true,
      errors: [],
    });
    expect(text(opened.message)).toContain('The figures are attached.');
  });

  it.each([
    ['ECDSA P-256', () => signingIdentity(ecSigner)],
    ['RSA-PSS', () => signingIdentity(alice, { rsaScheme: 'pss' })],
  ])('signs with %s', async (_name, identity) => {
    const sealed = await sealMessage(plainMessage(), { sign: { identity: await identity() } });
    const opened = await openMessage(sealed, trust());
    expect(opened.report.signature).toBe('valid');
  });

  it('reports a changed body as invalid', async () => {
    const sealed = text(
      await sealMessage(plainMessage(), { sign: { identity: await signingIdentity(alice) } }),
    );
    const tampered = new TextEncoder().encode(
      sealed.replace('The figures are attached.', 'The figures are wrong.!!'),
    );
    const opened = await openMessage(tampered, trust());
    expect(opened.report.signature).toBe('invalid');
    expect(opened.report.errors[0].code).toBe('SIGNATURE_INVALID');
  });

  it('still verifies after the message was stored with LF line endings', async () => {
    const sealed = text(
      await sealMessage(plainMessage(), { sign: { identity: await signingIdentity(alice) } }),
    );
    const opened = await openMessage(new TextEncoder().encode(sealed.replace(/\r\n/g, '\n')), trust());
    expect(opened.report.signature).toBe('valid');
  });

  it('says expired when checked after the certificate ran out', async () => {
    const sealed = await sealMessage(plainMessage(), { sign: { identity: await signingIdentity(alice) } });
    const opened = await openMessage(sealed, { ...trust(), at: new Date(Date.now() + 2 * 365 * 86_400_000) });
    expect(opened.report.signature).toBe('expired');
    expect(opened.report.errors.map((e) => e.code)).toContain('SIGNER_EXPIRED');
  });

  it('says revoked when the revocation checker says so', async () => {
    const sealed = await sealMessage(plainMessage(), { sign: { identity: await signingIdentity(alice) } });
    const opened = await openMessage(sealed, {
      ...trust(),
      revocation: {
        status: async () => ({ status: 'revoked', revokedAt: new Date('2026-01-01T00:00:00Z') }),
      },
    });
    expect(opened.report.signature).toBe('revoked');
  });

  it('rejects a certificate without the emailProtection purpose', async () => {
    const server = pki.issueUser({
      email: 'alice@example.test',
      extendedKeyUsage: 'serverAuth',
      purpose: 'signing',
    });
    const sealed = await sealMessage(plainMessage(), { sign: { identity: await signingIdentity(server) } });
    const opened = await openMessage(sealed, trust());
    expect(opened.report.signature).toBe('invalid');
    expect(opened.report.errors[0].message).toMatch(/e-mail protection/);
  });

  it('refuses a message over the size limit before doing any work', async () => {
    const big = plainMessage({ body: 'x'.repeat(2048) });
    await expect(
      sealMessage(big, { sign: { identity: await signingIdentity(alice) }, maxMessageBytes: 1024 }),
    ).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
  });
});
