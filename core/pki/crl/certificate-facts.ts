// The few facts of a certificate the CRL code needs: its serial, issuer and subject as exact DER
// bytes, its public key, keyUsage, basicConstraints cA and CRL distribution points. Read with
// the same strict DER cursor as the CRL rather than with pkijs, so that checking a CRL does not
// load pkijs at start-up (the CLI and the benchmark pay for every module they import).
import { SealmailError } from '../../errors.js';
import { bytesEqual, DerCursor, TAG } from './der-reader.js';
import { readDistributionPointName, type DistributionPointName } from './distribution-point.js';

export interface CertificateFacts {
  /** DER content octets of serialNumber. */
  serial: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  /** The whole SubjectPublicKeyInfo, ready for WebCrypto's importKey('spki'). */
  spki: Uint8Array;
  /** OID content of the key's algorithm and of its parameters when they are an OID (EC curve). */
  keyAlgorithm: Uint8Array;
  keyParameters: Uint8Array | null;
  /** keyUsage bits (RFC 5280 §4.2.1.3) or null when the extension is absent. */
  keyUsage: Uint8Array | null;
  isCA: boolean;
  crlDistributionPoints: DistributionPointName[];
}

const OID_KEY_USAGE = Uint8Array.of(0x55, 0x1d, 0x0f);
const OID_BASIC_CONSTRAINTS = Uint8Array.of(0x55, 0x1d, 0x13);
const OID_CRL_DP = Uint8Array.of(0x55, 0x1d, 0x1f);

function badCertificate(what: string): SealmailError {
  return new SealmailError(
    'MALFORMED_CERTIFICATE',
    `The certificate is not valid DER (${what}); use the CA certificate in PEM or DER form.`,
  );
}

export function readCertificateFacts(der: Uint8Array): CertificateFacts {
  const top = new DerCursor(der, 0, der.length, badCertificate);
  top.expect(TAG.SEQUENCE, 'Certificate');
  top.finish('the certificate');
  const cert = top.inside();
  cert.expect(TAG.SEQUENCE, 'TBSCertificate');
  const tbs = cert.inside();
  tbs.optional(0xa0); // version [0] EXPLICIT
  tbs.expect(TAG.INTEGER, 'serialNumber');
  const serial = tbs.content();
  tbs.expect(TAG.SEQUENCE, 'signature');
  tbs.expect(TAG.SEQUENCE, 'issuer');
  const issuer = tbs.element();
  tbs.expect(TAG.SEQUENCE, 'validity');
  tbs.expect(TAG.SEQUENCE, 'subject');
  const subject = tbs.element();
  tbs.expect(TAG.SEQUENCE, 'subjectPublicKeyInfo');
  const spki = tbs.element();
  const keyInfo = tbs.inside();
  keyInfo.expect(TAG.SEQUENCE, 'algorithm');
  const algorithm = keyInfo.inside();
  algorithm.expect(TAG.OID, 'key algorithm');
  const keyAlgorithm = algorithm.content();
  const keyParameters = algorithm.optional(TAG.OID) ? algorithm.content() : null;

  const facts: CertificateFacts = {
    serial,
    issuer,
    subject,
    spki,
    keyAlgorithm,
    keyParameters,
    keyUsage: null,
    isCA: false,
    crlDistributionPoints: [],
  };
  tbs.optional(0x81); // issuerUniqueID
  tbs.optional(0x82); // subjectUniqueID
  if (tbs.optional(0xa3)) readExtensions(tbs.inside(), facts);
  tbs.finish('TBSCertificate');
  return facts;
}

function readExtensions(outer: DerCursor, facts: CertificateFacts): void {
  outer.expect(TAG.SEQUENCE, 'Extensions');
  const list = outer.inside();
  while (!list.done) {
    list.expect(TAG.SEQUENCE, 'Extension');
    const ext = list.inside();
    ext.expect(TAG.OID, 'extnID');
    const oid = ext.content();
    ext.optional(TAG.BOOLEAN);
    ext.expect(TAG.OCTET_STRING, 'extnValue');
    const value = ext.inside();
    if (bytesEqual(oid, OID_KEY_USAGE)) {
      value.expect(TAG.BIT_STRING, 'keyUsage');
      // The first content octet counts the unused bits; the flags follow, bit 0 first.
      facts.keyUsage = value.content().subarray(1);
    } else if (bytesEqual(oid, OID_BASIC_CONSTRAINTS)) {
      value.expect(TAG.SEQUENCE, 'basicConstraints');
      const bc = value.inside();
      facts.isCA = bc.optional(TAG.BOOLEAN) && bc.content()[0] !== 0;
    } else if (bytesEqual(oid, OID_CRL_DP)) {
      value.expect(TAG.SEQUENCE, 'cRLDistributionPoints');
      const points = value.inside();
      while (!points.done) {
        points.expect(TAG.SEQUENCE, 'DistributionPoint');
        const point = points.inside();
        if (point.optional(0xa0)) facts.crlDistributionPoints.push(readDistributionPointName(point.inside()));
      }
    }
  }
}

/** keyUsage bit n set? Bit 0 is the high bit of the first octet (X.690 §8.6.2). */
export function hasKeyUsageBit(keyUsage: Uint8Array, bit: number): boolean {
  const byte = keyUsage[bit >> 3];
  return byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0;
}

/** The first certificate of a PEM file, or the bytes themselves when they are already DER. */
export function certificateDer(bytes: Uint8Array): Uint8Array {
  return pemOrDer(bytes, 'CERTIFICATE', 'MALFORMED_CERTIFICATE');
}

/** Decodes the first PEM block with the given label; DER input (starting 0x30) is returned as is. */
export function pemOrDer(
  bytes: Uint8Array,
  label: string,
  code: 'MALFORMED_CERTIFICATE' | 'MALFORMED_CRL',
): Uint8Array {
  if (bytes.length > 0 && bytes[0] === 0x30) return bytes;
  // latin1 maps each byte to one character, so any input decodes and a PEM file stays a
  // one-byte-per-character string.
  const text = new TextDecoder('latin1').decode(bytes);
  const begin = `-----BEGIN ${label}-----`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(`-----END ${label}-----`, start + 1);
  if (start < 0 || stop < 0) {
    throw new SealmailError(code, `Expected DER or a PEM "${label}" block; the input is neither.`);
  }
  const body = text.slice(start + begin.length, stop).replace(/[\r\n\t ]/g, '');
  let binary: string;
  try {
    binary = atob(body);
  } catch {
    throw new SealmailError(code, `The PEM "${label}" block is not valid base64.`);
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
