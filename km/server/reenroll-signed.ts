// simplereenroll (RFC 7030 §4.2.2) proven at the message layer instead of by a TLS client
// certificate (issue 6): the body is a CMS SignedData whose encapsulated content is the new
// PKCS#10, signed by the CURRENT signing certificate. signed-request.ts checks the signature,
// the signer (this KM's, unrevoked, unexpired) and signingTime (±5 minutes); here, in addition:
// - within the window a replay is refused because that new key already has a certificate;
// - the CSR proves possession of its own key (RFC 2986) and names the same mailbox (§4.2.2:
//   the subject and SubjectAltName stay the same).
// The certificate is then issued by renewSigningCertificate, exactly as for the TLS path.
import * as pkijs from 'pkijs';
import { SealmailError } from '../../core/errors.js';
import { renewSigningCertificate } from '../enrollment/renew-signing-certificate.js';
import { csrPublicKey } from './est-bodies.js';
import type { KmServerContext } from './km-server-context.js';
import { sameBytes, verifySignedRequest } from './signed-request.js';

export { replayWindowMs } from './signed-request.js';

const subjectAltName = '2.5.29.17';
const extensionRequest = '1.2.840.113549.1.9.14';
const commonName = '2.5.4.3';

/** Every mailbox a PKCS#10 names: its subject CN and the rfc822Names of a requested SAN. */
function requestedNames(csrDer: Uint8Array): string[] {
  const request = pkijs.CertificationRequest.fromBER(new Uint8Array(csrDer));
  const names = request.subject.typesAndValues
    .filter((entry) => entry.type === commonName)
    .map((entry) => String((entry.value as { valueBlock: { value: unknown } }).valueBlock.value));
  for (const attribute of request.attributes ?? []) {
    if (attribute.type !== extensionRequest) continue;
    for (const value of attribute.values) {
      const extensions = new pkijs.Extensions({ schema: value });
      for (const extension of extensions.extensions) {
        if (extension.extnID !== subjectAltName) continue;
        const san = extension.parsedValue as pkijs.AltName | undefined;
        for (const name of san?.altNames ?? []) {
          // GeneralName rfc822Name is [1] (RFC 5280 §4.2.1.6); any other kind is another identity.
          names.push(name.type === 1 ? String(name.value) : `(a non-mailbox name of type ${name.type})`);
        }
      }
    }
  }
  return names.map((name) => name.trim().toLowerCase());
}

/** Checks the signed request and issues the new signing certificate (DER). */
export async function reenrollWithSignedRequest(km: KmServerContext, body: Uint8Array): Promise<Uint8Array> {
  const { content, signer: record } = await verifySignedRequest(km, body);
  const signingPublicKey = await csrPublicKey(content);
  const names = requestedNames(content);
  const stranger = names.find((name) => name !== record.email);
  if (names.length === 0 || stranger !== undefined) {
    throw new SealmailError(
      'SIGNER_MISMATCH',
      `the renewal request names ${stranger ?? 'no mailbox'}, but the signing certificate is ${record.email}'s; ` +
        'a renewal keeps the same mailbox.',
    );
  }
  // Within the window a replayed request would certify the same new key again: refuse it.
  for (const existing of await km.store.records.certificatesOf(record.email)) {
    const spki = pkijs.Certificate.fromBER(new Uint8Array(existing.der)).subjectPublicKeyInfo;
    if (sameBytes(new Uint8Array(spki.toSchema().toBER(false)), signingPublicKey)) {
      throw new SealmailError(
        'ALREADY_EXISTS',
        'this renewal request was already answered (its new key has a certificate); renew again for a new one.',
      );
    }
  }
  return renewSigningCertificate(km, km.dataDirectory, {
    presentedSerial: record.serial,
    presentedCertificate: record.der,
    signingPublicKey,
  });
}
