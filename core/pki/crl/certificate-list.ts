// The outline of a CertificateList (RFC 5280 §5.1): every field but the revoked entries, which
// stay as a byte range until the signature has been checked (revoked-entries.ts indexes them).
// Reading the outline touches a few hundred bytes however long the CRL is.
import { bytesEqual, DerCursor, malformed, smallInteger, TAG } from './der-reader.js';
import { readTime } from './der-time.js';
import { readCrlExtensions, type CrlExtensions } from './crl-extensions.js';
import { readSignatureScheme, type SignatureScheme } from './signature.js';

export interface CrlOutline extends CrlExtensions {
  der: Uint8Array;
  /** The exact TBSCertList bytes the signature covers (§5.1.1.3). */
  tbs: Uint8Array;
  signatureScheme: SignatureScheme;
  /** signatureValue BIT STRING content, unused-bits octet first. */
  signatureBits: Uint8Array;
  version: 1 | 2;
  /** The issuer Name, exact DER. */
  issuer: Uint8Array;
  /** Seconds since the epoch. */
  thisUpdate: number;
  nextUpdate: number | null;
  /** Content range of revokedCertificates in `der` (empty when the CRL lists nothing). */
  entriesFrom: number;
  entriesTo: number;
}

export function readCrlOutline(der: Uint8Array): CrlOutline {
  const top = new DerCursor(der);
  top.expect(TAG.SEQUENCE, 'CertificateList');
  top.finish('the CRL');
  const list = top.inside();
  list.expect(TAG.SEQUENCE, 'TBSCertList');
  const tbs = list.element();
  const fields = list.inside();
  list.expect(TAG.SEQUENCE, 'signatureAlgorithm');
  const outerAlgorithm = list.element();
  const signatureScheme = readSignatureScheme(list.inside());
  list.expect(TAG.BIT_STRING, 'signatureValue');
  const signatureBits = list.content();
  list.finish('CertificateList');

  let version: 1 | 2 = 1;
  if (fields.optional(TAG.INTEGER)) {
    // §5.1.2.1: the field is present only for v2 (value 1).
    if (smallInteger(fields, 'version') !== 1) throw malformed('version is not v2');
    version = 2;
  }
  fields.expect(TAG.SEQUENCE, 'signature');
  // §5.1.1.2: signatureAlgorithm MUST match the signature field inside the TBSCertList;
  // otherwise an attacker could swap the outer one to an algorithm of their choosing.
  if (!bytesEqual(fields.element(), outerAlgorithm)) {
    throw malformed('signatureAlgorithm differs from the signature field of the TBSCertList');
  }
  fields.expect(TAG.SEQUENCE, 'issuer');
  const issuer = fields.element();
  fields.next();
  const thisUpdate = readTime(der, fields.tag, fields.contentStart, fields.end, 'thisUpdate');
  let nextUpdate: number | null = null;
  if (fields.optional(TAG.UTC_TIME) || fields.optional(TAG.GENERALIZED_TIME)) {
    nextUpdate = readTime(der, fields.tag, fields.contentStart, fields.end, 'nextUpdate');
  }
  let entriesFrom = 0;
  let entriesTo = 0;
  if (fields.optional(TAG.SEQUENCE)) {
    entriesFrom = fields.contentStart;
    entriesTo = fields.end;
  }
  let extensions: CrlExtensions = {
    crlNumber: null,
    baseCrlNumber: null,
    scope: null,
    scopeDer: null,
    freshestCrl: [],
  };
  if (fields.optional(0xa0)) {
    if (version !== 2) throw malformed('a v1 CRL carries extensions');
    extensions = readCrlExtensions(fields.inside());
  }
  fields.finish('TBSCertList');
  return {
    der,
    tbs,
    signatureScheme,
    signatureBits,
    version,
    issuer,
    thisUpdate,
    nextUpdate,
    entriesFrom,
    entriesTo,
    ...extensions,
  };
}
