// Importing .p12 files in the shapes `openssl pkcs12 -export` can make them: OpenSSL 3's
// default, -legacy (RC2-40 and 3DES, SHA-1 MAC), PBES2 with other ciphers and PRFs, unencrypted
// certificates, a MAC with one iteration and a SHA-512 MAC. Each must give back the same key
// and certificate with the right password, and WRONG_PASSWORD with a wrong one.
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPkcs12 } from '../../core/keyfile/key-file.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/openssl-pki.js';

let pki: TestPki;
let rsa: IssuedCertificate;
let ec: IssuedCertificate;

beforeAll(() => {
  pki = createTestPki();
  rsa = pki.issueUser({ email: 'alice@example.test', purpose: 'both' });
  ec = pki.issueUser({ email: 'bob@example.test', purpose: 'signing', key: { type: 'ec', curve: 'P-384' } });
});
afterAll(() => pki.cleanup());

const variants: Array<[string, string[]]> = [
  ['OpenSSL 3 default', []],
  ['-legacy', ['-legacy']],
  [
    'PBES2 with AES-128-CBC and a SHA-1 MAC',
    ['-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC', '-macalg', 'sha1'],
  ],
  ['PBES2 with DES-EDE3-CBC', ['-keypbe', 'DES-EDE3-CBC', '-certpbe', 'DES-EDE3-CBC']],
  ['3DES keys and unencrypted certificates', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'NONE']],
  ['a MAC with one iteration', ['-nomaciter']],
  ['a SHA-512 MAC', ['-macalg', 'sha512']],
];

describe.each(variants)('a .p12 made with %s', (name, flags) => {
  let p12: Uint8Array;
  beforeAll(() => {
    const file = join(pki.dir, `${name.replace(/\W+/g, '-')}.p12`);
    pki.openssl([
      'pkcs12',
      '-export',
      '-inkey',
      rsa.keyFile,
      '-in',
      rsa.certFile,
      '-certfile',
      pki.root.certFile,
      '-out',
      file,
      '-passout',
      'pass:p12 secret',
      ...flags,
    ]);
    p12 = new Uint8Array(readFileSync(file));
  });

  it('imports with its password: one key for signing and encryption, and the CA', async () => {
    const contents = await importPkcs12(p12, 'p12 secret', null);
    expect(contents.keys).toHaveLength(1);
    expect(contents.keys[0]).toMatchObject({ signing: true, encryption: 'current' });
    expect(contents.keys[0].privateKey).toEqual(rsa.keyDer);
    expect(contents.keys[0].certificate).toEqual(rsa.certDer);
    expect(contents.caCertificates).toEqual([pki.root.certDer]);
  });

  it('is refused with WRONG_PASSWORD for a wrong password', async () => {
    await expect(importPkcs12(p12, 'p12 Secret', null)).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
      message: expect.stringContaining('does not open this .p12 file'),
    });
  });
});

it('imports an EC P-384 key whose certificate allows signing only, as a signing key', async () => {
  const file = join(pki.dir, 'ec.p12');
  pki.openssl([
    'pkcs12',
    '-export',
    '-inkey',
    ec.keyFile,
    '-in',
    ec.certFile,
    '-out',
    file,
    '-passout',
    'pass:x',
  ]);
  const contents = await importPkcs12(new Uint8Array(readFileSync(file)), 'x', null);
  expect(contents.keys).toEqual([
    { privateKey: ec.keyDer, certificate: ec.certDer, signing: true, encryption: null },
  ]);
});

it('refuses a .p12 that holds only certificates, saying what is missing', async () => {
  const file = join(pki.dir, 'certs-only.p12');
  pki.openssl(['pkcs12', '-export', '-nokeys', '-in', rsa.certFile, '-out', file, '-passout', 'pass:x']);
  await expect(importPkcs12(new Uint8Array(readFileSync(file)), 'x', null)).rejects.toMatchObject({
    code: 'MALFORMED_KEYFILE',
    message: expect.stringContaining('no private key'),
  });
});

it('pairs keys with certificates by public key when a .p12 has no localKeyId (node-forge, 3DES)', async () => {
  // A second producer besides OpenSSL, and the shape some Java and Windows exports have: no
  // localKeyId attribute, and the CA certificate listed before the user's.
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(rsa.keyPem),
    [forge.pki.certificateFromPem(pki.root.certPem), forge.pki.certificateFromPem(rsa.certPem)],
    'forge secret',
    { algorithm: '3des', generateLocalKeyId: false },
  );
  const p12 = new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  const contents = await importPkcs12(p12, 'forge secret', null);
  expect(contents.keys).toHaveLength(1);
  expect(contents.keys[0].certificate).toEqual(rsa.certDer);
  expect(contents.caCertificates).toEqual([pki.root.certDer]);
  await expect(importPkcs12(p12, 'Forge secret', null)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
});
