// What the envelope needs from an X.509 certificate (RFC 5280 §4.1): who issued it and its
// serial (for IssuerAndSerialNumber), its subjectKeyIdentifier, and its public key.
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { certificateLimits } from '../../asn1/limits.js';
import {
  algorithmIdentifier,
  asOid,
  asSequence,
  encodingOf,
  isContextTag,
  octets,
  safeFromBer,
  taggedChildren,
} from './der.js';
import {
  EC_PUBLIC_KEY,
  P256,
  P384,
  P521,
  RSAES_OAEP,
  RSA_ENCRYPTION,
  SUBJECT_KEY_IDENTIFIER,
} from './oids.js';

export type NamedCurve = 'P-256' | 'P-384' | 'P-521';

export type RecipientKeyKind = { kind: 'rsa'; oaepOnly: boolean } | { kind: 'ec'; curve: NamedCurve };

export interface RecipientCertificate {
  /** DER of the issuer Name exactly as in the certificate. */
  issuer: Uint8Array;
  /** DER of the serialNumber INTEGER exactly as in the certificate. */
  serialNumber: Uint8Array;
  subjectKeyIdentifier?: Uint8Array;
  /** DER SubjectPublicKeyInfo, ready for WebCrypto's importKey('spki'). */
  subjectPublicKeyInfo: Uint8Array;
  key: RecipientKeyKind;
}

const curves: Record<string, NamedCurve> = { [P256]: 'P-256', [P384]: 'P-384', [P521]: 'P-521' };

export function curveOf(oid: string): NamedCurve | undefined {
  return curves[oid];
}

function badCertificate(detail: string): SealmailError {
  return new SealmailError(
    'MALFORMED_CERTIFICATE',
    `A recipient certificate cannot be used for encryption: ${detail}. Fetch it again from the directory.`,
  );
}

export function readRecipientCertificate(certificateDer: Uint8Array): RecipientCertificate {
  const parsed = safeFromBer(certificateDer, { ...certificateLimits, parseEmbedded: false });
  if (parsed.offset === -1) throw badCertificate('it is not DER');
  try {
    return fieldsOf(parsed.result);
  } catch (error) {
    if (error instanceof SealmailError && error.code === 'MALFORMED_CMS') {
      throw badCertificate(error.message);
    }
    throw error;
  }
}

function fieldsOf(certificate: asn1js.AsnType): RecipientCertificate {
  const [tbs] = asSequence(certificate, 'certificate');
  const fields = asSequence(tbs, 'tbsCertificate');
  const at = isContextTag(fields[0], 0) ? 1 : 0; // [0] EXPLICIT version is optional (v1)
  const serial = fields[at];
  const issuer = fields[at + 2];
  const spki = fields[at + 5];
  if (!(serial instanceof asn1js.Integer) || !(issuer instanceof asn1js.Sequence)) {
    throw badCertificate('the issuer or serial number is missing');
  }
  const [keyAlgorithm] = asSequence(spki, 'subjectPublicKeyInfo');
  const algorithm = algorithmIdentifier(keyAlgorithm, 'public key algorithm');
  let key: RecipientKeyKind;
  if (algorithm.oid === RSA_ENCRYPTION || algorithm.oid === RSAES_OAEP) {
    key = { kind: 'rsa', oaepOnly: algorithm.oid === RSAES_OAEP };
  } else if (algorithm.oid === EC_PUBLIC_KEY) {
    const curve = algorithm.parameters && curveOf(asOid(algorithm.parameters, 'curve'));
    if (!curve) throw badCertificate('its elliptic curve is not P-256, P-384 or P-521');
    key = { kind: 'ec', curve };
  } else {
    throw new SealmailError(
      'UNSUPPORTED_ALGORITHM',
      `A recipient certificate has a ${algorithm.oid} key; Sealmail encrypts to RSA and EC keys only.`,
    );
  }
  return {
    issuer: encodingOf(issuer),
    serialNumber: encodingOf(serial),
    subjectKeyIdentifier: subjectKeyIdentifierOf(fields, at),
    subjectPublicKeyInfo: encodingOf(spki as asn1js.BaseBlock),
    key,
  };
}

function subjectKeyIdentifierOf(fields: asn1js.BaseBlock[], at: number): Uint8Array | undefined {
  const extensions = fields.slice(at + 6).find((field) => isContextTag(field, 3));
  if (!extensions) return undefined;
  const [list] = taggedChildren(extensions, 'extensions');
  for (const extension of asSequence(list, 'extensions')) {
    const parts = asSequence(extension, 'extension');
    if (asOid(parts[0], 'extension id') !== SUBJECT_KEY_IDENTIFIER) continue;
    // extnValue is an OCTET STRING holding the DER of KeyIdentifier ::= OCTET STRING
    const inner = safeFromBer(octets(parts[parts.length - 1], 'extnValue'), certificateLimits);
    if (inner.offset === -1) return undefined;
    return octets(inner.result, 'subjectKeyIdentifier').slice();
  }
  return undefined;
}
