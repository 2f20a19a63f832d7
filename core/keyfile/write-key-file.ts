// Writes a key file: a standard PKCS#12 (RFC 7292) that `openssl pkcs12` and other clients open.
// Layout as OpenSSL 3 makes it: the certificates in an EncryptedData safe and the keys as
// PKCS8ShroudedKeyBags in a data safe, both under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), and a
// SHA-256 MAC over the whole AuthenticatedSafe (key-file-parameters.ts says why both counts).
import * as asn1js from 'asn1js';
import { subtle } from '../crypto/engine.js';
import { SealmailError } from '../errors.js';
import { checkContents, friendlyNameFor, type KeyFileContents } from './key-file-contents.js';
import { keyFileProtection, minimumIterations, type ProtectionSettings } from './key-file-parameters.js';
import { PasswordKeys } from './password-keys.js';
import { encryptPbes2 } from './pbes2.js';
import { macDataFor } from './pkcs12-mac.js';
import { pkcs12Oids } from './pkcs12-oids.js';

const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
const octets = (bytes: Uint8Array) => new asn1js.OctetString({ valueHex: bytes.slice().buffer });
const explicit0 = (value: asn1js.AsnType) =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [value] });
const der = (node: asn1js.AsnType) => new Uint8Array(node.toBER(false));

/** friendlyName and localKeyId (RFC 2985 §5.5), which pair a key with its certificate. */
function labels(name: string, localKeyId: Uint8Array): asn1js.Set {
  return new asn1js.Set({
    value: [
      new asn1js.Sequence({
        value: [
          oid(pkcs12Oids.friendlyName),
          new asn1js.Set({ value: [new asn1js.BmpString({ value: name })] }),
        ],
      }),
      new asn1js.Sequence({
        value: [oid(pkcs12Oids.localKeyId), new asn1js.Set({ value: [octets(localKeyId)] })],
      }),
    ],
  });
}

function certBag(certificate: Uint8Array, attributes?: asn1js.Set): asn1js.Sequence {
  // RFC 7292 §4.2.3: CertBag ::= SEQUENCE { certId, certValue [0] EXPLICIT OCTET STRING }
  const bag = new asn1js.Sequence({
    value: [oid(pkcs12Oids.x509Certificate), explicit0(octets(certificate))],
  });
  return new asn1js.Sequence({
    value: [oid(pkcs12Oids.certBag), explicit0(bag), ...(attributes ? [attributes] : [])],
  });
}

export async function writeKeyFile(
  contents: KeyFileContents,
  password: string,
  settings: ProtectionSettings = keyFileProtection,
): Promise<Uint8Array> {
  checkContents(contents);
  if (settings.pbkdf2Iterations < minimumIterations || settings.macIterations < minimumIterations) {
    throw new SealmailError('INVALID_REQUEST', `A key file needs at least ${minimumIterations} iterations.`);
  }
  if (password.length === 0) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'A key file needs a password; an empty one would leave the keys unprotected.',
    );
  }
  const keys = new PasswordKeys(password);
  // One salt for every encrypted part, so one PBKDF2 run unlocks them all (password-keys.ts).
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(keyFileProtection.saltBytes));

  const keyBags: asn1js.Sequence[] = [];
  const certBags: asn1js.Sequence[] = [];
  for (const key of contents.keys) {
    const localKeyId = new Uint8Array(await subtle().digest('SHA-1', key.certificate.slice()));
    const attributes = () => labels(friendlyNameFor(key), localKeyId);
    const shrouded = await encryptPbes2(key.privateKey, keys, salt, settings.pbkdf2Iterations);
    // RFC 5208 §6 EncryptedPrivateKeyInfo, inside a pkcs8ShroudedKeyBag (RFC 7292 §4.2.2)
    const encryptedKey = new asn1js.Sequence({ value: [shrouded.algorithm, octets(shrouded.ciphertext)] });
    keyBags.push(
      new asn1js.Sequence({
        value: [oid(pkcs12Oids.pkcs8ShroudedKeyBag), explicit0(encryptedKey), attributes()],
      }),
    );
    certBags.push(certBag(key.certificate, attributes()));
  }
  for (const ca of contents.caCertificates) certBags.push(certBag(ca));

  const certificates = await encryptPbes2(
    der(new asn1js.Sequence({ value: certBags })),
    keys,
    salt,
    settings.pbkdf2Iterations,
  );
  // RFC 5652 §8: EncryptedData { version 0, EncryptedContentInfo { data, alg, [0] IMPLICIT } }
  const encryptedData = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      new asn1js.Sequence({
        value: [
          oid(pkcs12Oids.data),
          certificates.algorithm,
          new asn1js.Primitive({
            idBlock: { tagClass: 3, tagNumber: 0 },
            valueHex: certificates.ciphertext.slice().buffer,
          }),
        ],
      }),
    ],
  });
  const authenticatedSafe = der(
    new asn1js.Sequence({
      value: [
        new asn1js.Sequence({ value: [oid(pkcs12Oids.encryptedData), explicit0(encryptedData)] }),
        new asn1js.Sequence({
          value: [oid(pkcs12Oids.data), explicit0(octets(der(new asn1js.Sequence({ value: keyBags }))))],
        }),
      ],
    }),
  );
  const macData = await macDataFor(
    keys,
    authenticatedSafe,
    settings.macIterations,
    keyFileProtection.saltBytes,
  );
  return der(
    new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 3 }),
        new asn1js.Sequence({ value: [oid(pkcs12Oids.data), explicit0(octets(authenticatedSafe))] }),
        macData,
      ],
    }),
  );
}
