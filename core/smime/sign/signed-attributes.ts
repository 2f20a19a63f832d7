// The signed attributes Sealmail puts on every signature (RFC 8551 §2.5): contentType and
// messageDigest (RFC 5652 §11), signingTime, SMIMECapabilities (§2.5.2) and
// SMIMEEncryptionKeyPreference (§2.5.3), which names the encryption certificate because the
// signing and encryption keys differ.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { oids } from '../../asn1/oids.js';
import { viewOf } from '../../asn1/parse-der.js';
import type { CertificateInfo } from '../../pki/certificate-info.js';

/** What Sealmail can decrypt, strongest first (RFC 8551 §2.7.1: in order of preference). */
const capabilities: { id: string; parameters?: asn1js.AsnType }[] = [
  { id: oids.aes256Gcm },
  { id: oids.aes256Cbc },
  { id: oids.aes128Cbc },
  // RFC 8551 §2.7.1, RFC 4055 §4.1: OAEP with SHA-256 and MGF1-SHA-256, stated explicitly
  // because absent parameters would mean SHA-1.
  {
    id: oids.rsaesOaep,
    parameters: new asn1js.Sequence({
      value: [
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 0 },
          value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oids.sha256 })] })],
        }),
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 1 },
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.ObjectIdentifier({ value: oids.mgf1 }),
                new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oids.sha256 })] }),
              ],
            }),
          ],
        }),
      ],
    }),
  },
];

/** RFC 5652 §11.3: UTCTime through 2049, GeneralizedTime after. */
function timeValue(date: Date): asn1js.AsnType {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? new asn1js.UTCTime({ valueDate: date })
    : new asn1js.GeneralizedTime({ valueDate: date });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function buildSignedAttributes(input: {
  contentType: string;
  digest: Uint8Array;
  signingTime: Date;
  encryptionCertificate?: CertificateInfo;
}): pkijs.SignedAndUnsignedAttributes {
  const attributes = [
    new pkijs.Attribute({
      type: oids.contentType,
      values: [new asn1js.ObjectIdentifier({ value: input.contentType })],
    }),
    new pkijs.Attribute({ type: oids.signingTime, values: [timeValue(input.signingTime)] }),
    new pkijs.Attribute({
      type: oids.messageDigest,
      values: [new asn1js.OctetString({ valueHex: input.digest.slice().buffer })],
    }),
    new pkijs.Attribute({
      type: oids.smimeCapabilities,
      values: [
        new asn1js.Sequence({
          value: capabilities.map(
            (c) =>
              new asn1js.Sequence({
                value: [
                  new asn1js.ObjectIdentifier({ value: c.id }),
                  ...(c.parameters ? [c.parameters] : []),
                ],
              }),
          ),
        }),
      ],
    }),
  ];
  if (input.encryptionCertificate) {
    const certificate = input.encryptionCertificate.certificate;
    // SMIMEEncryptionKeyPreference ::= CHOICE { issuerAndSerialNumber [0] IMPLICIT ... }
    const issuerAndSerial = new pkijs.IssuerAndSerialNumber({
      issuer: certificate.issuer,
      serialNumber: certificate.serialNumber,
    }).toSchema() as asn1js.Sequence;
    attributes.push(
      new pkijs.Attribute({
        type: oids.smimeEncryptionKeyPreference,
        values: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 0 },
            value: issuerAndSerial.valueBlock.value,
          }),
        ],
      }),
    );
  }
  // DER sorts a SET OF by encoding (X.690 §11.6). OpenSSL re-encodes the attributes before it
  // checks the signature, so an unsorted set would fail there even though pkijs accepts it.
  const sorted = attributes
    .map((attribute) => ({ attribute, der: viewOf(attribute.toSchema().toBER()) }))
    .sort((a, b) => compareBytes(a.der, b.der))
    .map((entry) => entry.attribute);
  return new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sorted });
}
