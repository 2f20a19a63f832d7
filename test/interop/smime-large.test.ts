// A 25 MB message (seed 001's policy limit) round-trips Sealmail↔Sealmail and Sealmail↔OpenSSL,
// signed and encrypted (issue 3 "Size"), with asn1js limits set for it (core/asn1/limits.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';
import { infoOf, signingIdentity } from '../support/smime-identities.js';
import { bytesEqual } from '../../core/mime/message-bytes.js';
import { decryptContent, encryptContent } from '../../core/smime/envelope/index.js';
import { openMessage, type OpenOptions } from '../../core/smime/open.js';
import { sealMessage } from '../../core/smime/seal.js';

let pki: TestPki;
let alice: IssuedCertificate;
let bob: IssuedCertificate;
let message: Uint8Array;
let options: OpenOptions;
const head =
  'From: alice@example.test\r\nTo: bob@example.test\r\nSubject: 25 MB\r\nMIME-Version: 1.0\r\n' +
  'Content-Type: application/octet-stream; name="big.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n';

beforeAll(() => {
  pki = createTestPki();
  alice = pki.issueUser({ email: 'alice@example.test', purpose: 'both' });
  bob = pki.issueUser({ email: 'bob@example.test', purpose: 'both' });
  // Just under 25 MiB of base64 lines of random data, as a large attachment looks.
  const raw = new Uint8Array(Math.floor(((25 * 1024 * 1024 - 4096) / 78) * 57));
  for (let i = 0; i < raw.length; i += 65536)
    crypto.getRandomValues(raw.subarray(i, Math.min(raw.length, i + 65536)));
  const body = Buffer.from(raw).toString('base64').replace(/.{76}/g, '$&\r\n');
  message = new Uint8Array(Buffer.from(head + body));
  options = {
    anchors: [infoOf(pki.root)],
    decrypt: async (der) => decryptContent(der, [{ certificate: bob.certDer, privateKey: bob.keyDer }]),
  };
});
afterAll(() => pki.cleanup());

const sealForBob = async (input: Uint8Array) =>
  sealMessage(input, {
    sign: { identity: await signingIdentity(alice) },
    encrypt: async (entity) => ({
      der: await encryptContent(entity, [bob.certDer, alice.certDer]),
      smimeType: 'enveloped-data',
    }),
  });

describe('25 MB', () => {
  it('the message is 25 MB', () => {
    expect(message.length).toBeGreaterThan(24.9 * 1024 * 1024);
    expect(message.length).toBeLessThanOrEqual(25 * 1024 * 1024);
  });

  it('Sealmail seals, Sealmail opens: valid, byte for byte the same', async () => {
    const opened = await openMessage(await sealForBob(message), options);
    expect(opened.report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signature: 'valid',
      fromMatchesSigner: true,
    });
    expect(bytesEqual(opened.message, message)).toBe(true);
  });

  it('Sealmail seals, openssl decrypts and verifies', async () => {
    const file = pki.writeFile('big-sealed.eml', await sealForBob(message));
    const inner = join(pki.dir, 'big-inner.mime');
    const content = join(pki.dir, 'big-content.mime');
    pki.openssl([
      'cms',
      '-decrypt',
      '-in',
      file,
      '-recip',
      bob.certFile,
      '-inkey',
      bob.keyFile,
      '-out',
      inner,
    ]);
    pki.openssl(['cms', '-verify', '-in', inner, '-CAfile', pki.root.certFile, '-out', content]);
    // openssl writes the signed entity: the attachment's own header fields, then its body.
    expect(readFileSync(content).subarray(0, 200).toString()).toContain(
      'Content-Type: application/octet-stream',
    );
    expect(readFileSync(content).length).toBeGreaterThan(24.9 * 1024 * 1024);
  });

  it('openssl signs and encrypts, Sealmail opens', async () => {
    const entityFile = pki.writeFile('big-entity.mime', message.subarray(head.indexOf('Content-Type')));
    const signed = join(pki.dir, 'big-signed.mime');
    const sealed = join(pki.dir, 'big-openssl.eml');
    pki.openssl([
      'cms',
      '-sign',
      '-in',
      entityFile,
      '-signer',
      alice.certFile,
      '-inkey',
      alice.keyFile,
      '-out',
      signed,
    ]);
    pki.openssl([
      'cms',
      '-encrypt',
      '-aes-256-cbc',
      '-in',
      signed,
      '-from',
      'alice@example.test',
      '-out',
      sealed,
      bob.certFile,
    ]);
    const opened = await openMessage(new Uint8Array(readFileSync(sealed)), options);
    expect(opened.report).toMatchObject({
      encrypted: true,
      decrypted: true,
      signature: 'valid',
      fromMatchesSigner: true,
    });
    expect(opened.message.length).toBeGreaterThan(24.9 * 1024 * 1024);
  });

  it('openssl streams opaque signed-data (indefinite-length BER, 4 KB chunks), Sealmail verifies', async () => {
    const entityFile = pki.writeFile(
      'big-entity-opaque.mime',
      message.subarray(head.indexOf('Content-Type')),
    );
    const signed = join(pki.dir, 'big-opaque.eml');
    pki.openssl([
      'cms',
      '-sign',
      '-nodetach',
      '-stream',
      '-in',
      entityFile,
      '-signer',
      alice.certFile,
      '-inkey',
      alice.keyFile,
      '-from',
      'alice@example.test',
      '-out',
      signed,
    ]);
    const opened = await openMessage(new Uint8Array(readFileSync(signed)), options);
    expect(opened.report).toMatchObject({ signed: true, signature: 'valid', fromMatchesSigner: true });
    expect(opened.message.length).toBeGreaterThan(24.9 * 1024 * 1024);
  });

  it('one byte over the limit is refused before any work', async () => {
    const over = new Uint8Array(25 * 1024 * 1024 + 1);
    over.set(message.subarray(0, head.length));
    await expect(sealForBob(over)).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
  });
});
