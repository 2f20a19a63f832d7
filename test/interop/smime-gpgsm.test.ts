// gpgsm (GnuPG's S/MIME tool) in both directions, RSA with AES-CBC (issue 3 interop). gpgsm
// writes and reads bare CMS, so the test assembles the MIME around it as a mail client that uses
// gpgsm (mutt, for one) would. Each run has its own GNUPGHOME and its own gpg-agent, stopped at
// the end with `gpgconf --kill` on that home only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { bytes, infoOf, plainMessage, signingIdentity, text } from '../support/smime-identities.js';
import {
  buildMessage,
  buildMultipartSignedEntity,
  buildPkcs7MimeEntity,
} from '../../core/mime/build-entities.js';
import { parseEntity } from '../../core/mime/entity.js';
import { splitMultipart } from '../../core/mime/multipart.js';
import { decodeBase64 } from '../../core/mime/base64.js';
import { decryptContent, encryptContent } from '../../core/smime/envelope/index.js';
import { openMessage } from '../../core/smime/open.js';
import { sealMessage } from '../../core/smime/seal.js';
import { createSignature } from '../../core/smime/sign/create-signature.js';

let pki: TestPki;
let home: string;
let alice: IssuedCertificate; // lives in gpgsm
let bob: IssuedCertificate; // lives in Sealmail
const passphrase = 'gpgsm test passphrase';

function gpgsm(args: string[], input?: Uint8Array | string): Buffer {
  try {
    return execFileSync(
      'gpgsm',
      ['--batch', '--pinentry-mode', 'loopback', '--passphrase-fd', '0', ...args],
      {
        env: { ...process.env, GNUPGHOME: home },
        input: input ?? `${passphrase}\n`,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    throw new Error(`gpgsm ${args.join(' ')} failed: ${(error as { stderr?: Buffer }).stderr?.toString()}`, {
      cause: error,
    });
  }
}

beforeAll(() => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', commonName: 'Alice', purpose: 'both' });
  bob = pki.issueUser({ email: 'bob@example.test', commonName: 'Bob', purpose: 'both' });
  home = join(pki.dir, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  // No CRL distribution points in the test PKI, so gpgsm is told not to look for CRLs.
  writeFileSync(join(home, 'gpgsm.conf'), 'disable-crl-checks\n');
  writeFileSync(join(home, 'gpg-agent.conf'), 'allow-loopback-pinentry\n');
  gpgsm(['--import', pki.root.certFile]);
  gpgsm(['--import', bob.certFile]);
  const fingerprint = pki
    .openssl(['x509', '-in', pki.root.certFile, '-noout', '-fingerprint', '-sha1'])
    .toString()
    .split('=')[1]
    .trim()
    .replace(/:/g, '');
  writeFileSync(join(home, 'trustlist.txt'), `${fingerprint} S relax\n`);
  // gpgsm 2.2 reads PKCS#12 key bags protected with 3DES, not OpenSSL 3's PBES2 default.
  const p12 = join(pki.dir, 'alice-gpgsm.p12');
  const passFile = pki.writeFile('gpgsm-pass.txt', `${passphrase}\n`);
  pki.openssl([
    'pkcs12',
    '-export',
    '-inkey',
    alice.keyFile,
    '-in',
    alice.certFile,
    '-passout',
    `file:${passFile}`,
    '-keypbe',
    'PBE-SHA1-3DES',
    '-certpbe',
    'NONE',
    '-macalg',
    'sha1',
    '-out',
    p12,
  ]);
  gpgsm(['--import', p12]);
});

afterAll(() => {
  try {
    execFileSync('gpgconf', ['--kill', 'gpg-agent'], {
      env: { ...process.env, GNUPGHOME: home },
      stdio: 'ignore',
    });
  } finally {
    pki.cleanup();
  }
});

const headers = () =>
  ['From: Alice <alice@example.test>\r\n', 'To: bob@example.test\r\n', 'Subject: gpgsm\r\n'].map(bytes);

describe('gpgsm signs and encrypts, Sealmail opens', () => {
  it.each([['AES128'], ['AES256']])('RSA, %s-CBC, detached signature inside', async (cipher) => {
    const entity = bytes('Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned and sealed by gpgsm.\r\n');
    const entityFile = pki.writeFile(`gpg-entity-${cipher}.txt`, entity);
    const signatureFile = join(pki.dir, `gpg-${cipher}.p7s`);
    gpgsm(['-u', 'alice@example.test', '--detach-sign', '--output', signatureFile, entityFile]);
    const signed = buildMultipartSignedEntity(entity, new Uint8Array(readFileSync(signatureFile)), 'sha-256');
    const signedFile = pki.writeFile(`gpg-signed-${cipher}.mime`, signed);
    const envelopeFile = join(pki.dir, `gpg-${cipher}.p7m`);
    gpgsm([
      '--encrypt',
      '--cipher-algo',
      cipher,
      '-r',
      'bob@example.test',
      '--output',
      envelopeFile,
      signedFile,
    ]);
    const message = buildMessage(
      headers(),
      buildPkcs7MimeEntity(new Uint8Array(readFileSync(envelopeFile)), 'enveloped-data'),
    );
    const opened = await openMessage(message, {
      anchors: [infoOf(pki.root)],
      decrypt: async (der) => decryptContent(der, [{ certificate: bob.certDer, privateKey: bob.keyDer }]),
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
    expect(text(opened.message)).toContain('Signed and sealed by gpgsm.');
  });
});

describe('Sealmail signs and encrypts, gpgsm opens', () => {
  it.each([['aes-128-cbc' as const], ['aes-256-cbc' as const]])('RSA, %s', async (cipher) => {
    const sealed = await sealMessage(
      plainMessage({ from: 'bob@example.test', body: 'From Sealmail to gpgsm.\r\n' }),
      {
        sign: { identity: await signingIdentity(bob) },
        encrypt: async (entity) => ({
          der: await encryptContent(entity, [alice.certDer], { cipher }),
          smimeType: 'enveloped-data',
        }),
      },
    );
    // Take the message apart as a gpgsm-using client would: base64 body → CMS → gpgsm.
    const envelope = parseEntity(sealed);
    const envelopeFile = pki.writeFile(`to-gpg-${cipher}.p7m`, decodeBase64(envelope.body));
    const inner = parseEntity(new Uint8Array(gpgsm(['--decrypt', envelopeFile])));
    expect(inner.contentType.mediaType).toBe('multipart/signed');
    const [content, signaturePart] = splitMultipart(inner.body, inner.contentType.parameters.boundary).parts;
    const contentFile = pki.writeFile(`to-gpg-${cipher}.content`, content);
    const signatureFile = pki.writeFile(
      `to-gpg-${cipher}.p7s`,
      decodeBase64(parseEntity(signaturePart).body),
    );
    const status = gpgsm(['--status-fd', '1', '--verify', signatureFile, contentFile]).toString();
    expect(status).toMatch(/GOODSIG/);
    expect(status).toMatch(/TRUST_FULLY|TRUST_ULTIMATE/);
    expect(text(content)).toContain('From Sealmail to gpgsm.');
  });

  it('gpgsm verifies a Sealmail detached signature over a standalone entity', async () => {
    const entity = bytes('Content-Type: text/plain\r\n\r\nJust signed.\r\n');
    const signatureFile = pki.writeFile(
      'standalone.p7s',
      await createSignature(entity, await signingIdentity(bob)),
    );
    const contentFile = pki.writeFile('standalone.txt', entity);
    expect(gpgsm(['--status-fd', '1', '--verify', signatureFile, contentFile]).toString()).toMatch(/GOODSIG/);
  });
});
