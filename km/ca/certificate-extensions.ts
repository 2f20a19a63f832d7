// The X.509 v3 extensions the KM puts in certificates (RFC 5280 §4.2), each built once here so
// the CA certificate and the user certificates cannot drift apart.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { oids } from '../../core/asn1/oids.js';

const ext = {
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
} as const;

/** RFC 5280 §4.2.1.3 KeyUsage bit positions. */
export const keyUsageBits = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsageName = keyof typeof keyUsageBits;

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** A DER BIT STRING of named bits: trailing zero bits dropped (X.690 §11.2.2). */
export function keyUsage(names: readonly KeyUsageName[]): pkijs.Extension {
  let bits = 0;
  for (const name of names) bits |= 0x80 >> keyUsageBits[name];
  let unused = 0;
  while (unused < 7 && (bits & (1 << unused)) === 0) unused++;
  const value = new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: unused });
  return extension(oids.keyUsage, true, value);
}

export function basicConstraints(isCa: boolean): pkijs.Extension {
  return extension(ext.basicConstraints, true, new pkijs.BasicConstraints({ cA: isCa }).toSchema());
}

export function subjectKeyIdentifier(keyId: Uint8Array): pkijs.Extension {
  return extension(
    oids.subjectKeyIdentifier,
    false,
    new asn1js.OctetString({ valueHex: keyId.slice().buffer }),
  );
}

export function authorityKeyIdentifier(keyId: Uint8Array): pkijs.Extension {
  const value = new pkijs.AuthorityKeyIdentifier({
    keyIdentifier: new asn1js.OctetString({ valueHex: keyId.slice().buffer }),
  });
  return extension(ext.authorityKeyIdentifier, false, value.toSchema());
}

/** RFC 8550 §3: the address goes in subjectAltName as an rfc822Name. */
export function emailSubjectAltName(email: string): pkijs.Extension {
  const names = new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 1, value: email })] });
  return extension(oids.subjectAltName, false, names.toSchema());
}

export function emailProtectionUsage(): pkijs.Extension {
  return extension(
    oids.extKeyUsage,
    false,
    new pkijs.ExtKeyUsage({ keyPurposes: [oids.emailProtection] }).toSchema(),
  );
}

/** RFC 5280 §4.2.1.13: where relying parties fetch this CA's CRL. */
export function crlDistributionPoint(url: string): pkijs.Extension {
  const points = new pkijs.CRLDistributionPoints({
    distributionPoints: [
      new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })] }),
    ],
  });
  return extension(ext.crlDistributionPoints, false, points.toSchema());
}
