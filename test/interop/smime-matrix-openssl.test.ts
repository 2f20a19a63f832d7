// The issue 3 interop matrix with Sealmail's own envelope (core/smime/envelope) under its
// signatures: {RSA PKCS#1 v1.5, RSA-OAEP-SHA256, ECDH P-256} × {AES-128-CBC, AES-256-CBC,
// AES-256-GCM} × {detached, opaque}, in both directions against `openssl cms`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { infoOf, plainMessage, signingIdentity, text } from '../support/smime-identities.js';
import { decryptContent, encryptContent, type ContentCipherName } from '../../core/smime/envelope/index.js';
import { openMessage, type Decryptor } from '../../core/smime/open.js';
import { sealMessage } from '../../core/smime/seal.js';

type KeyManagement = 'rsa-pkcs1' | 'rsa-oaep' | 'ecdh-p256';
const keyManagements: KeyManagement[] = ['rsa-pkcs1', 'rsa-oaep', 'ecdh-p256'];
const ciphers: ContentCipherName[] = ['aes-128-cbc', 'aes-256-cbc', 'aes-256-gcm'];
const shapes = ['detached', 'opaque'] as const;
const matrix = keyManagements.flatMap((k) => ciphers.flatMap((c) => shapes.map((s) => [k, c, s] as const)));

let pki: TestPki;
let alice: IssuedCertificate;
let rsaRecipient: IssuedCertificate;
let ecRecipient: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', commonName: 'Alice', purpose: 'signing' });
  rsaRecipient = pki.issueUser({ email: 'bob@example.test', commonName: 'Bob RSA', purpose: 'encryption' });
  ecRecipient = pki.issueUser({
    email: 'bob@example.test',
    commonName: 'Bob EC',
    purpose: 'encryption',
    key: { type: 'ec', curve: 'P-256' },
  });
});
afterAll(() => pki.cleanup());

const recipientFor = (k: KeyManagement) => (k === 'ecdh-p256' ? ecRecipient : rsaRecipient);
const decryptorFor =
  (recipient: IssuedCertificate): Decryptor =>
  async (der) => {
    const { content, warnings } = await decryptContent(der, [
      { certificate: recipient.certDer, privateKey: recipient.keyDer },
    ]);
    return { content, warnings };
  };

describe('openssl signs and encrypts, Sealmail opens', () => {
  it.each(matrix)('%s, %s, %s', async (keyManagement, cipher, shape) => {
    const recipient = recipientFor(keyManagement);
    const entity = pki.writeFile(
      `entity-${keyManagement}-${cipher}-${shape}.txt`,
      'Content-Type: text/plain\r\n\r\nMatrix content.\r\n',
    );
    const signed = pki.openssl([
      'cms',
      '-sign',
      '-in',
      entity,
      '-signer',
      alice.certFile,
      '-inkey',
      alice.keyFile,
      ...(shape === 'opaque' ? ['-nodetach'] : []),
    ]);
    const oaep =
      keyManagement === 'rsa-oaep'
        ? ['-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256']
        : [];
    const sealed = pki.openssl(
      [
        'cms',
        '-encrypt',
        `-${cipher}`,
        '-from',
        'alice@example.test',
        '-to',
        'bob@example.test',
        '-recip',
        recipient.certFile,
        ...oaep,
      ],
      signed,
    );
    const opened = await openMessage(new Uint8Array(sealed), {
      anchors: [infoOf(pki.root)],
      decrypt: decryptorFor(recipient),
    });
    expect(opened.report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      signature: 'valid',
      signer: { email: 'alice@example.test' },
      fromMatchesSigner: true,
      errors: [],
    });
    expect(text(opened.message)).toContain('Matrix content.');
  });
});

describe('Sealmail signs and encrypts, openssl opens', () => {
  it.each(matrix)('%s, %s, %s', async (keyManagement, cipher, shape) => {
    const recipient = recipientFor(keyManagement);
    const sealed = await sealMessage(plainMessage({ body: 'Matrix from Sealmail.\r\n' }), {
      sign: { identity: await signingIdentity(alice), opaque: shape === 'opaque' },
      encrypt: async (entity) => ({
        der: await encryptContent(
          entity,
          [{ certificate: recipient.certDer, supportsRsaOaep: keyManagement === 'rsa-oaep' }],
          { cipher },
        ),
        smimeType: cipher === 'aes-256-gcm' ? 'authEnveloped-data' : 'enveloped-data',
      }),
    });
    const file = pki.writeFile(`sealed-${keyManagement}-${cipher}-${shape}.eml`, sealed);
    const inner = pki.openssl([
      'cms',
      '-decrypt',
      '-in',
      file,
      '-recip',
      recipient.certFile,
      '-inkey',
      recipient.keyFile,
    ]);
    const printed = pki.openssl(['cms', '-cmsout', '-print', '-in', file]).toString();
    if (keyManagement === 'rsa-oaep') expect(printed).toContain('rsaesOaep');
    const verified = pki.openssl(['cms', '-verify', '-CAfile', pki.root.certFile], inner).toString();
    expect(verified).toContain('Matrix from Sealmail.');
  });
});
