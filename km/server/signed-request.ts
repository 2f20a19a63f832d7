// The proof shared by the desktop's signed EST requests (issue 6): simplereenroll (a new signing
// certificate, reenroll-signed.ts) and serverkeygen (a new encryption key, serverkeygen-signed.ts).
// The desktop's signing key exists only in its renderer's crypto worker (ARCHITECTURE.md
// invariant 1) while TLS to the KM is its main process's, so the request carries its own proof:
// a CMS SignedData (RFC 5652 §5) signed by the CURRENT signing certificate, sent as
// `application/pkcs7-mime; smime-type=signed-data` (RFC 8551 §3.2.2; not CMC, RFC 5272). The KM
// accepts it only when all of these hold:
// - the signature verifies (RFC 5652 §5.6) over the encapsulated content, with the signer's key;
// - the signer certificate chains to this KM's CA and is, byte for byte, a signing certificate
//   this KM issued, unrevoked and unexpired (the same test as the TLS path);
// - signingTime (RFC 5652 §11.3) is within ±5 minutes of the KM's clock, so a captured request
//   cannot be replayed later (each operation refuses a replay inside the window its own way).
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { oids } from '../../core/asn1/oids.js';
import { cryptoEngine } from '../../core/crypto/engine.js';
import { SealmailError } from '../../core/errors.js';
import { readSignedData } from '../../core/smime/verify/signed-data.js';
import { caCertificateDer } from '../authority/unlocked-km.js';
import type { CertificateRecord } from '../storage/records.js';
import type { KmServerContext } from './km-server-context.js';

/** How far signingTime may be from the KM's clock, either way (clock skew + transit). */
export const replayWindowMs = 5 * 60_000;

export interface VerifiedSignedRequest {
  /** The encapsulated content the signature covers. */
  content: Uint8Array;
  /** The signer's certificate record (a signing certificate of this KM, unrevoked, unexpired). */
  signer: CertificateRecord;
  signedAt: Date;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function hexOf(view: ArrayBuffer | Uint8Array): string {
  return Buffer.from(view instanceof Uint8Array ? view : new Uint8Array(view)).toString('hex');
}

function untrusted(detail: string): SealmailError {
  return new SealmailError(
    'SIGNER_UNTRUSTED',
    `${detail} Renew with the key file this KM issued, or ask your administrator for a recovery key.`,
  );
}

/** The signer's carried certificate, matched by IssuerAndSerialNumber (RFC 5652 §5.3). */
function signerCertificate(
  signedData: pkijs.SignedData,
  carried: readonly { certificate: pkijs.Certificate; der: Uint8Array }[],
): { certificate: pkijs.Certificate; der: Uint8Array } {
  if (signedData.signerInfos.length !== 1) {
    throw new SealmailError('MALFORMED_CMS', 'a renewal request must have exactly one signer.');
  }
  const sid = signedData.signerInfos[0]!.sid as unknown;
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) {
    throw new SealmailError('MALFORMED_CMS', 'the renewal signer must be named by issuer and serial number.');
  }
  const wanted = hexOf(sid.serialNumber.valueBlock.valueHexView);
  const found = carried.find(
    (entry) =>
      hexOf(entry.certificate.serialNumber.valueBlock.valueHexView) === wanted &&
      entry.certificate.issuer.isEqual(sid.issuer),
  );
  if (!found) {
    throw new SealmailError(
      'MALFORMED_CMS',
      'the renewal request does not carry the signing certificate that signed it.',
    );
  }
  return found;
}

function signingTimeOf(signedData: pkijs.SignedData): Date {
  const attribute = signedData.signerInfos[0]?.signedAttrs?.attributes.find(
    (entry) => entry.type === oids.signingTime,
  );
  const value = attribute?.values[0] as (asn1js.UTCTime | asn1js.GeneralizedTime) | undefined;
  const at = value && 'toDate' in value ? value.toDate() : null;
  if (!at || Number.isNaN(at.getTime())) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'the renewal request has no signingTime; the KM needs it to refuse replayed requests.',
    );
  }
  return at;
}

/** Checks the signed request's signature, signer and signingTime; answers what it carries. */
export async function verifySignedRequest(
  km: KmServerContext,
  body: Uint8Array,
): Promise<VerifiedSignedRequest> {
  const signed = readSignedData(body);
  if (signed.contentType !== oids.data || !signed.content) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'the renewal request must carry its request as signed content (not detached).',
    );
  }
  const signer = signerCertificate(signed.signedData, signed.certificates);
  const serial = hexOf(signer.certificate.serialNumber.valueBlock.valueHexView);

  // The signature first: nothing about the mailbox is told to a requester who cannot sign.
  const verified = await signed.signedData
    .verify({ signer: 0, checkChain: false, extendedMode: true }, cryptoEngine())
    .catch(() => ({ signatureVerified: false }));
  if (!verified.signatureVerified) {
    throw new SealmailError(
      'SIGNATURE_INVALID',
      'the renewal request’s signature does not verify with your signing certificate.',
    );
  }

  // Chains to this KM's CA: issued under its name and signed by its key.
  const ca = pkijs.Certificate.fromBER(new Uint8Array(await caCertificateDer(km.store.records)));
  const issuedHere =
    signer.certificate.issuer.isEqual(ca.subject) &&
    (await signer.certificate.verify(ca, cryptoEngine()).catch(() => false));
  if (!issuedHere) {
    throw untrusted('the renewal request is signed by a certificate this KM did not issue.');
  }
  const record = await km.store.records.certificate(serial);
  if (!record || record.kind !== 'signing' || !sameBytes(record.der, signer.der)) {
    throw untrusted('the renewal request is not signed by a signing certificate this KM issued.');
  }
  const now = km.now();
  if (record.revokedAt !== null) {
    throw new SealmailError(
      'SIGNER_REVOKED',
      `your signing certificate was revoked (${record.revocationReason ?? 'no reason given'}), so it cannot renew; ask your administrator to enable the mailbox again.`,
    );
  }
  if (record.notAfter <= now.toISOString()) {
    throw new SealmailError(
      'SIGNER_EXPIRED',
      'your signing certificate has expired, so it cannot renew; ask your administrator for a recovery key.',
    );
  }

  const signedAt = signingTimeOf(signed.signedData);
  if (Math.abs(signedAt.getTime() - now.getTime()) > replayWindowMs) {
    throw new SealmailError(
      'AUTH_FAILED',
      `the renewal request was signed at ${signedAt.toISOString()}, more than 5 minutes from the KM's time ` +
        `(${now.toISOString()}); check your computer's clock and renew again.`,
    );
  }
  return { content: signed.content, signer: record, signedAt };
}
