// Which certificate a reader remembers for encrypted replies (issue 4, harvesting): the one the
// signer's SMIMEEncryptionKeyPreference names (RFC 8551 §2.5.3), which Sealmail's signatures now
// carry; failing that, a carried certificate for the signer's address that may be encrypted to
// (RFC 8550 §4.4.2). A preference for someone else's certificate is ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMessage } from '../../core/smime/open.js';
import { sealMessage } from '../../core/smime/seal.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { infoOf, plainMessage, signingIdentity } from '../support/smime-identities.js';

// openssl makes fresh keys for every run; on a busy shared machine that takes seconds.
const pkiTimeout = 60_000;

let pki: TestPki;
let alice: IssuedCertificate;
let aliceEncryption: IssuedCertificate;
/** A newer encryption certificate of alice's, so "the newest" and "the preferred" differ. */
let aliceNewerEncryption: IssuedCertificate;
let malloryEncryption: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki({ rootKey: { type: 'ec', curve: 'P-256' } });
  const ec = { type: 'ec', curve: 'P-256' } as const;
  alice = pki.issueUser({ email: 'alice@example.test', key: ec, purpose: 'signing' });
  aliceEncryption = pki.issueUser({
    email: 'alice@example.test',
    key: ec,
    purpose: 'encryption',
    notBefore: new Date(Date.now() - 10 * 86_400_000),
  });
  aliceNewerEncryption = pki.issueUser({ email: 'alice@example.test', key: ec, purpose: 'encryption' });
  malloryEncryption = pki.issueUser({ email: 'mallory@example.test', key: ec, purpose: 'encryption' });
}, pkiTimeout);
afterAll(() => pki.cleanup());

const trust = () => ({ anchors: [infoOf(pki.root)] });

async function remembered(sealed: Uint8Array): Promise<Uint8Array | undefined> {
  const { report } = await openMessage(sealed, trust());
  expect(report.signature).not.toBe('invalid');
  return report.signerEncryptionCertificate;
}

describe('the signer’s encryption certificate', { timeout: pkiTimeout }, () => {
  it('is the one SMIMEEncryptionKeyPreference names, even when a newer one is carried too', async () => {
    const identity = await signingIdentity(alice, { encryption: aliceEncryption });
    // The chain is "certificates to send along": a way to carry one more of alice's certificates.
    identity.chain.push(infoOf(aliceNewerEncryption));
    const sealed = await sealMessage(plainMessage(), { sign: { identity } });
    expect(await remembered(sealed)).toEqual(aliceEncryption.certDer);
  });

  it('without the attribute, is the newest carried certificate for her address that may encrypt', async () => {
    const input = pki.writeFile(
      'content.txt',
      'Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned by openssl.\r\n',
    );
    const certificates = pki.writeFile(
      'carried.pem',
      `${aliceEncryption.certPem}${aliceNewerEncryption.certPem}${malloryEncryption.certPem}`,
    );
    const sealed = pki.openssl([
      'cms',
      '-sign',
      '-in',
      input,
      '-signer',
      alice.certFile,
      '-inkey',
      alice.keyFile,
      '-certfile',
      certificates,
      '-md',
      'sha256',
      '-from',
      'alice@example.test',
      '-to',
      'bob@example.test',
      '-subject',
      'openssl',
    ]);
    expect(await remembered(new Uint8Array(sealed))).toEqual(aliceNewerEncryption.certDer);
  });

  it('is not a certificate for another address, whatever the preference says', async () => {
    const identity = await signingIdentity(alice, { encryption: malloryEncryption });
    const sealed = await sealMessage(plainMessage(), { sign: { identity } });
    expect(await remembered(sealed)).toBeUndefined();
  });

  it('is not the signing certificate when that one may only sign', async () => {
    const sealed = await sealMessage(plainMessage(), { sign: { identity: await signingIdentity(alice) } });
    expect(await remembered(sealed)).toBeUndefined();
  });
});
