// Signed-inside-encrypted, encrypted-inside-signed and triple-wrapped messages (issue 3), with
// `openssl cms` doing the envelope so that layering is tested on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { opensslDecryptor, opensslEncryptor } from '../support/openssl-envelope.js';
import { infoOf, plainMessage, signingIdentity, text } from '../support/smime-identities.js';
import {
  buildMessage,
  buildMultipartSignedEntity,
  buildPkcs7MimeEntity,
} from '../../core/mime/build-entities.js';
import { openMessage } from '../../core/smime/open.js';
import { sealMessage } from '../../core/smime/seal.js';
import { createSignature } from '../../core/smime/sign/create-signature.js';

// openssl makes fresh keys for every run; on a busy shared machine that takes seconds.
const pkiTimeout = 60_000;

let pki: TestPki;
let alice: IssuedCertificate;
let bob: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', commonName: 'Alice', purpose: 'signing' });
  bob = pki.issueUser({ email: 'bob@example.test', commonName: 'Bob', purpose: 'encryption' });
}, pkiTimeout);
afterAll(() => pki.cleanup());

const options = () => ({ anchors: [infoOf(pki.root)], decrypt: opensslDecryptor(pki, bob) });

describe('layers', { timeout: pkiTimeout }, () => {
  it('signed inside encrypted', async () => {
    const sealed = await sealMessage(plainMessage({ body: 'Signed then sealed.\r\n' }), {
      sign: { identity: await signingIdentity(alice) },
      encrypt: opensslEncryptor(pki, [bob]),
    });
    expect(text(sealed)).toContain('application/pkcs7-mime; smime-type=enveloped-data');
    const opened = await openMessage(sealed, options());
    expect(opened.report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      signature: 'valid',
      fromMatchesSigner: true,
    });
    expect(text(opened.message)).toContain('Signed then sealed.');
  });

  it('triple-wrapped', async () => {
    const sealed = await sealMessage(plainMessage({ body: 'Three layers.\r\n' }), {
      sign: { identity: await signingIdentity(alice) },
      encrypt: opensslEncryptor(pki, [bob]),
      tripleWrap: true,
    });
    expect(text(sealed)).toMatch(/^Content-Type: multipart\/signed/m);
    const opened = await openMessage(sealed, options());
    expect(opened.report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      signature: 'valid',
    });
    expect(text(opened.message)).toContain('Three layers.');
  });

  it('encrypted inside signed, opened without a key: the outer signature is still verified', async () => {
    const inner = await opensslEncryptor(pki, [bob])(
      new TextEncoder().encode('Content-Type: text/plain\r\n\r\nSecret.\r\n'),
    );
    const entity = buildPkcs7MimeEntity(inner.der, 'enveloped-data');
    const signed = buildMultipartSignedEntity(
      entity,
      await createSignature(entity, await signingIdentity(alice)),
      'sha-256',
    );
    const message = buildMessage([new TextEncoder().encode('From: alice@example.test\r\n')], signed);
    const withoutKey = await openMessage(message, { anchors: [infoOf(pki.root)] });
    expect(withoutKey.report).toMatchObject({
      encrypted: true,
      decrypted: false,
      signed: true,
      signature: 'valid',
    });
    expect(withoutKey.report.warnings.map((w) => w.code)).toContain('NO_MATCHING_KEY');
    const withKey = await openMessage(message, options());
    expect(withKey.report).toMatchObject({ encrypted: true, decrypted: true, signature: 'valid' });
    expect(text(withKey.message)).toContain('Secret.');
  });

  it('a bad inner signature makes the whole verdict invalid', async () => {
    const identity = await signingIdentity(alice);
    const sealed = text(await sealMessage(plainMessage({ body: 'Original.\r\n' }), { sign: { identity } }));
    const tampered = new TextEncoder().encode(sealed.replace('Original.', 'Forged!!!'));
    // Wrap the tampered signed message in a valid outer signature: the worst verdict counts.
    const doubled = await openMessage(await sealMessage(tampered, { sign: { identity } }), options());
    expect(doubled.report.signature).toBe('invalid');
  });
});
