// The KM's issuing CA: its self-signed certificate (made once by `km init`) and the two
// certificates every enrolled mailbox gets (issue 4): a signing certificate (digitalSignature)
// and an encryption certificate (keyAgreement for EC keys, keyEncipherment for RSA), each valid
// one year with an rfc822Name SAN, the emailProtection EKU and the CRL distribution point.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { cryptoEngine } from '../../core/crypto/engine.js';
import { SealmailError } from '../../core/errors.js';
import {
  authorityKeyIdentifier,
  basicConstraints,
  crlDistributionPoint,
  emailProtectionUsage,
  emailSubjectAltName,
  keyUsage,
  subjectKeyIdentifier,
} from './certificate-extensions.js';
import type { CryptoKey, CryptoKeyPair } from './key-algorithms.js';
import { newSerialNumber, serialHex } from './serial-number.js';
import type { CertificateKind } from '../storage/records.js';

const dayMs = 86_400_000;
export const userCertificateDays = 365;
const caCertificateDays = 10 * 365;
const commonNameOid = '2.5.4.3';

export interface IssuingCa {
  der: Uint8Array;
  certificate: pkijs.Certificate;
  privateKey: CryptoKey;
  keyId: Uint8Array;
  /** The CRL distribution point written into every certificate this CA issues. */
  crlUrl: string;
}

export interface IssuedCertificate {
  der: Uint8Array;
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function nameWithCommonName(commonName: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({
        type: commonNameOid,
        value: new asn1js.Utf8String({ value: commonName }),
      }),
    ],
  });
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING. */
async function keyIdentifier(publicKey: pkijs.PublicKeyInfo): Promise<Uint8Array> {
  return new Uint8Array(
    await globalThis.crypto.subtle.digest(
      'SHA-1',
      new Uint8Array(publicKey.subjectPublicKey.valueBlock.valueHexView),
    ),
  );
}

function publicKeyInfoFrom(spki: Uint8Array): pkijs.PublicKeyInfo {
  try {
    return pkijs.PublicKeyInfo.fromBER(new Uint8Array(spki));
  } catch (error) {
    throw new SealmailError('MALFORMED_KEY', 'the public key is not a valid SubjectPublicKeyInfo', {
      cause: error,
    });
  }
}

async function signed(certificate: pkijs.Certificate, privateKey: CryptoKey): Promise<Uint8Array> {
  await certificate.sign(privateKey, 'SHA-256', cryptoEngine());
  return new Uint8Array(certificate.toSchema(true).toBER(false));
}

/** `km init`: a self-signed CA certificate for the key pair, valid ten years. */
export async function createCaCertificate(
  keyPair: CryptoKeyPair,
  commonName: string,
  now: Date,
): Promise<Uint8Array> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: newSerialNumber().buffer });
  certificate.issuer = nameWithCommonName(commonName);
  certificate.subject = nameWithCommonName(commonName);
  certificate.notBefore.value = wholeSeconds(now);
  certificate.notAfter.value = new Date(wholeSeconds(now).getTime() + caCertificateDays * dayMs);
  await certificate.subjectPublicKeyInfo.importKey(keyPair.publicKey, cryptoEngine());
  const keyId = await keyIdentifier(certificate.subjectPublicKeyInfo);
  certificate.extensions = [
    basicConstraints(true),
    keyUsage(['keyCertSign', 'cRLSign']),
    subjectKeyIdentifier(keyId),
  ];
  return signed(certificate, keyPair.privateKey);
}

export async function loadIssuingCa(
  der: Uint8Array,
  privateKey: CryptoKey,
  crlUrl: string,
): Promise<IssuingCa> {
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(der));
  return {
    der,
    certificate,
    privateKey,
    keyId: await keyIdentifier(certificate.subjectPublicKeyInfo),
    crlUrl,
  };
}

/** The keyUsage of an encryption certificate follows its key: RFC 8550 §4.4.2. */
function encryptionUsage(publicKey: pkijs.PublicKeyInfo): 'keyAgreement' | 'keyEncipherment' {
  return publicKey.algorithm.algorithmId === '1.2.840.10045.2.1' ? 'keyAgreement' : 'keyEncipherment';
}

export async function issueMailCertificate(
  ca: IssuingCa,
  request: { email: string; kind: CertificateKind; subjectPublicKeyInfo: Uint8Array; now: Date },
): Promise<IssuedCertificate> {
  const publicKey = publicKeyInfoFrom(request.subjectPublicKeyInfo);
  const serial = newSerialNumber();
  const notBefore = wholeSeconds(request.now);
  const notAfter = new Date(notBefore.getTime() + userCertificateDays * dayMs);
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial.buffer });
  certificate.issuer = ca.certificate.subject;
  certificate.subject = nameWithCommonName(request.email);
  certificate.notBefore.value = notBefore;
  certificate.notAfter.value = notAfter;
  certificate.subjectPublicKeyInfo = publicKey;
  certificate.extensions = [
    basicConstraints(false),
    keyUsage([request.kind === 'signing' ? 'digitalSignature' : encryptionUsage(publicKey)]),
    emailProtectionUsage(),
    emailSubjectAltName(request.email),
    crlDistributionPoint(ca.crlUrl),
    subjectKeyIdentifier(await keyIdentifier(publicKey)),
    authorityKeyIdentifier(ca.keyId),
  ];
  const der = await signed(certificate, ca.privateKey);
  return { der, serial: serialHex(serial), notBefore, notAfter };
}
