// The HTTPS certificate `km serve` makes for itself when none is given (issue 4): issued by the
// KM CA, so a client that trusts the KM CA (--km-ca, or policy) trusts the server too, with the
// host names and addresses of the KM's URL and listen address in subjectAltName (RFC 6125).
import { isIP } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { cryptoEngine } from '../../core/crypto/engine.js';
import { authorityKeyIdentifier, basicConstraints, keyUsage } from './certificate-extensions.js';
import type { IssuingCa } from './issuing-ca.js';
import { newSerialNumber } from './serial-number.js';

const serverAuth = '1.3.6.1.5.5.7.3.1';

function ipBytes(address: string): Uint8Array {
  if (isIP(address) === 4) return new Uint8Array(address.split('.').map(Number));
  // IPv6: expand "::" and write eight 16-bit groups.
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return new Uint8Array(groups.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
}

function generalName(host: string): pkijs.GeneralName {
  if (isIP(host)) {
    return new pkijs.GeneralName({
      type: 7,
      value: new asn1js.OctetString({ valueHex: ipBytes(host).slice().buffer }),
    });
  }
  return new pkijs.GeneralName({ type: 2, value: host });
}

export async function issueTlsServerCertificate(
  ca: IssuingCa,
  hosts: readonly string[],
  now: Date,
): Promise<{ certificate: Uint8Array; privateKey: Uint8Array }> {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: newSerialNumber().buffer });
  certificate.issuer = ca.certificate.subject;
  certificate.subject = new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({
        type: '2.5.4.3',
        value: new asn1js.Utf8String({ value: hosts[0] ?? 'km' }),
      }),
    ],
  });
  certificate.notBefore.value = new Date(Math.floor(now.getTime() / 1000) * 1000);
  certificate.notAfter.value = new Date(certificate.notBefore.value.getTime() + 365 * 86_400_000);
  await certificate.subjectPublicKeyInfo.importKey(pair.publicKey, cryptoEngine());
  const names = new pkijs.GeneralNames({ names: [...new Set(hosts)].map(generalName) });
  certificate.extensions = [
    basicConstraints(false),
    keyUsage(['digitalSignature']),
    new pkijs.Extension({
      extnID: '2.5.29.37',
      critical: false,
      extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [serverAuth] }).toSchema().toBER(false),
    }),
    new pkijs.Extension({ extnID: '2.5.29.17', critical: false, extnValue: names.toSchema().toBER(false) }),
    authorityKeyIdentifier(ca.keyId),
  ];
  await certificate.sign(ca.privateKey, 'SHA-256', cryptoEngine());
  return {
    certificate: new Uint8Array(certificate.toSchema(true).toBER(false)),
    privateKey: new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey)),
  };
}
