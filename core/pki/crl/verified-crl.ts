// Loading a CRL: outline, issuer check, signature check over the exact TBS bytes, and only then
// the index of its entries, so that nothing an attacker wrote is processed at length before the
// CA's signature vouches for it.
import { SealmailError } from '../../errors.js';
import { bytesEqual } from './der-reader.js';
import { readCrlOutline, type CrlOutline } from './certificate-list.js';
import {
  hasKeyUsageBit,
  pemOrDer,
  readCertificateFacts,
  type CertificateFacts,
} from './certificate-facts.js';
import { indexRevokedEntries } from './revoked-entries.js';
import { RevokedSerialIndex } from './revoked-index.js';
import { verifyCrlSignature } from './signature.js';

/** Everything about a verified CRL but its entries, small enough to keep beside the index. */
export type CrlFacts = Omit<
  CrlOutline,
  'der' | 'tbs' | 'signatureBits' | 'signatureScheme' | 'entriesFrom' | 'entriesTo'
>;

export interface VerifiedCrl {
  facts: CrlFacts;
  entries: RevokedSerialIndex;
}

const CRL_SIGN = 6; // keyUsage cRLSign (RFC 5280 §4.2.1.3)

/**
 * Checks that `issuer` is the CA that signed this CRL (RFC 5280 §6.3.3 (f)): the CRL's issuer
 * name equals the certificate's subject, its keyUsage (when present) allows cRLSign, and its key
 * verifies the signature.
 */
export function checkCrlIssuer(outline: CrlOutline, issuer: CertificateFacts): void {
  // Byte equality of the two Names: CAs copy their subject into the CRL verbatim, and OpenSSL's
  // canonical comparison agrees on every such pair. A CA that re-encodes its name is rejected.
  if (!bytesEqual(outline.issuer, issuer.subject)) {
    throw new SealmailError(
      'CRL_WRONG_ISSUER',
      "The CRL was issued by a different CA than the given issuer certificate; use the CRL from the issuer's own distribution point.",
    );
  }
  if (issuer.keyUsage && !hasKeyUsageBit(issuer.keyUsage, CRL_SIGN)) {
    throw new SealmailError(
      'CRL_WRONG_ISSUER',
      'The issuer certificate may not sign CRLs (its keyUsage lacks cRLSign), so this CRL cannot be trusted.',
    );
  }
}

/** Parses, authenticates and indexes a CRL (DER or PEM) issued by `issuer` (DER or PEM). */
export async function loadVerifiedCrl(
  crl: Uint8Array,
  issuer: Uint8Array | CertificateFacts,
): Promise<VerifiedCrl> {
  const issuerFacts =
    issuer instanceof Uint8Array
      ? readCertificateFacts(pemOrDer(issuer, 'CERTIFICATE', 'MALFORMED_CERTIFICATE'))
      : issuer;
  const outline = readCrlOutline(pemOrDer(crl, 'X509 CRL', 'MALFORMED_CRL'));
  checkCrlIssuer(outline, issuerFacts);
  await verifyCrlSignature(outline.signatureScheme, issuerFacts, outline.tbs, outline.signatureBits);
  const entries =
    outline.entriesTo > outline.entriesFrom
      ? indexRevokedEntries(outline.der, outline.entriesFrom, outline.entriesTo)
      : RevokedSerialIndex.empty();
  return { facts: factsOf(outline), entries };
}

function factsOf(outline: CrlOutline): CrlFacts {
  // Copies of the small fields, so the facts do not keep the whole CRL's bytes alive (with the
  // Uint8Array constructor: on a Node Buffer, slice() would return a view).
  return {
    version: outline.version,
    issuer: new Uint8Array(outline.issuer),
    thisUpdate: outline.thisUpdate,
    nextUpdate: outline.nextUpdate,
    crlNumber: outline.crlNumber,
    baseCrlNumber: outline.baseCrlNumber,
    scope: outline.scope,
    scopeDer: outline.scopeDer ? new Uint8Array(outline.scopeDer) : null,
    freshestCrl: outline.freshestCrl,
  };
}
