// `sealmail enroll` and `sealmail renew` end to end: talk to the KM, then write the key file
// once, atomically, only after every step succeeded (issue 4: nothing half-written).
import { redeemTemporaryKey } from '../../../core/enrollment/redeem-temporary-key.js';
import { renewSigningKey } from '../../../core/enrollment/renew-signing-key.js';
import { SealmailError } from '../../../core/errors.js';
import { openKeyFile, sealKeyFile, signingKeyOf } from '../../../core/keyfile/key-file.js';
import type { KeyFileContents, KeyFileKey } from '../../../core/keyfile/key-file-contents.js';
import { summarizeCertificate, type CertificateSummary } from '../../../core/keyfile/key-file-summary.js';
import { keyFileExists, readKeyFileBytes, saveKeyFileBytes } from '../keyfile-storage.js';
import { estHttpsClient, estHttpsReenrollClient } from './est-https-client.js';
import type { KmEndpoint } from './km-address.js';

export interface KeyFileTarget {
  path: string;
  password: string;
}

export interface EnrollmentResult {
  signing: CertificateSummary;
  encryptionKeys: number;
}

function pem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Enrolling again into an existing key file (after `recover`) keeps the encryption keys the
 * archive does not know, such as imported ones, as previous keys: they may still open old mail.
 */
function keepingOlderKeys(enrolled: KeyFileContents, existing: KeyFileContents | null): KeyFileContents {
  if (!existing) return enrolled;
  const known = (key: KeyFileKey) => enrolled.keys.some((k) => sameBytes(k.certificate, key.certificate));
  const kept = existing.keys
    .filter((key) => key.encryption !== null && !known(key))
    .map((key) => ({ ...key, signing: false, encryption: 'previous' as const }));
  return { keys: [...enrolled.keys, ...kept], caCertificates: enrolled.caCertificates };
}

function resultOf(contents: KeyFileContents): EnrollmentResult {
  const signing = signingKeyOf(contents);
  if (!signing) throw new SealmailError('INTERNAL', 'the enrolled key file has no signing key.');
  return {
    signing: summarizeCertificate(signing.certificate),
    encryptionKeys: contents.keys.filter((key) => key.encryption !== null).length,
  };
}

export async function enrollMailbox(
  km: KmEndpoint,
  mailbox: { email: string; temporaryKey: string },
  target: KeyFileTarget,
): Promise<EnrollmentResult> {
  // An existing key file is opened first: a wrong password fails before the key is spent.
  const existing = (await keyFileExists(target.path))
    ? (await openKeyFile(await readKeyFileBytes(target.path), target.password)).contents
    : null;
  const enrolled = await redeemTemporaryKey(estHttpsClient(km), mailbox);
  const contents = keepingOlderKeys(enrolled, existing);
  await saveKeyFileBytes(target.path, await sealKeyFile(contents, target.password));
  return resultOf(contents);
}

export async function renewKeyFile(km: KmEndpoint, target: KeyFileTarget): Promise<EnrollmentResult> {
  const { contents } = await openKeyFile(await readKeyFileBytes(target.path), target.password);
  const current = signingKeyOf(contents);
  if (!current) {
    throw new SealmailError(
      'NOT_FOUND',
      `The key file ${target.path} has no signing key to renew; enroll with \`sealmail enroll\` and a temporary key.`,
    );
  }
  const email = summarizeCertificate(current.certificate).email;
  if (!email) {
    throw new SealmailError(
      'MALFORMED_CERTIFICATE',
      'The signing certificate names no e-mail address, so the KM cannot renew it.',
    );
  }
  const identity = {
    certificatePem: pem('CERTIFICATE', current.certificate),
    keyPem: pem('PRIVATE KEY', current.privateKey),
  };
  const renewed = await renewSigningKey(estHttpsReenrollClient(km, identity), contents, email);
  await saveKeyFileBytes(target.path, await sealKeyFile(renewed, target.password));
  return resultOf(renewed);
}
