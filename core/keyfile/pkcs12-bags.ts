// The SafeBags of a PKCS#12 file (RFC 7292 §4.2) as Sealmail uses them: private keys (PKCS#8
// DER) and X.509 certificates, each with the friendlyName and localKeyId attributes (RFC 2985
// §5.5.1, §5.5.2) that pair a key with its certificate and say what it is for.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeSchema, parseBer } from '../asn1/parse-der.js';
import { certificateLimits } from '../asn1/limits.js';
import { SealmailError } from '../errors.js';
import { derOf } from './der-fields.js';
import { decryptWithPassword } from './password-based-decryption.js';
import type { PasswordKeys } from './password-keys.js';
import { pkcs12Oids } from './pkcs12-oids.js';

export interface BagLabels {
  friendlyName?: string;
  localKeyId?: Uint8Array;
}

export type Pkcs12Bag =
  | ({ kind: 'key'; privateKey: Uint8Array } & BagLabels)
  | ({ kind: 'certificate'; certificate: Uint8Array } & BagLabels);

/** Limits for the small structures inside a key file (a few keys and certificates). */
export const keyFileLimits = { maxDepth: 32, maxNodes: 50_000, maxContentLength: 16 * 1024 * 1024 };

function labelsOf(bag: pkijs.SafeBag): BagLabels {
  const labels: BagLabels = {};
  for (const attribute of bag.bagAttributes ?? []) {
    const value: unknown = attribute.values[0];
    if (attribute.type === pkcs12Oids.friendlyName && value instanceof asn1js.BmpString) {
      labels.friendlyName = value.valueBlock.value;
    } else if (attribute.type === pkcs12Oids.localKeyId && value instanceof asn1js.OctetString) {
      labels.localKeyId = new Uint8Array(value.getValue());
    }
  }
  return labels;
}

/** Checks that decrypted bytes are a PKCS#8 PrivateKeyInfo (RFC 5208 §5); null if not. */
export function privateKeyInfoOrNull(bytes: Uint8Array): Uint8Array | null {
  try {
    const schema = parseBer(bytes, keyFileLimits, 'A private key', 'MALFORMED_KEYFILE');
    new pkijs.PrivateKeyInfo({ schema });
    return bytes;
  } catch {
    return null;
  }
}

export function parseSafeContents(bytes: Uint8Array): pkijs.SafeContents {
  const schema = parseBer(bytes, keyFileLimits, 'A part of the key file', 'MALFORMED_KEYFILE');
  return decodeSchema(
    (s) => new pkijs.SafeContents({ schema: s }),
    schema,
    'A part of the key file',
    'MALFORMED_KEYFILE',
  );
}

/** A shrouded key bag's encrypted PKCS#8, decrypted; null when the password does not open it. */
export async function openShroudedKey(
  bag: pkijs.PKCS8ShroudedKeyBag,
  keys: PasswordKeys,
): Promise<Uint8Array | null> {
  const data = new Uint8Array(bag.encryptedData.getValue());
  const plain = await decryptWithPassword(bag.encryptionAlgorithm, data, keys);
  return plain && privateKeyInfoOrNull(plain);
}

/** The key and certificate bags of one SafeContents; shrouded keys are decrypted. */
export async function bagsOf(contents: pkijs.SafeContents, keys: PasswordKeys): Promise<Pkcs12Bag[]> {
  const bags: Pkcs12Bag[] = [];
  for (const bag of contents.safeBags) {
    const labels = labelsOf(bag);
    const value: unknown = bag.bagValue;
    if (bag.bagId === pkcs12Oids.pkcs8ShroudedKeyBag && value instanceof pkijs.PKCS8ShroudedKeyBag) {
      const privateKey = await openShroudedKey(value, keys);
      if (!privateKey)
        throw new SealmailError('KEYFILE_TAMPERED', 'A private key in the key file does not decrypt.');
      bags.push({ kind: 'key', privateKey, ...labels });
    } else if (bag.bagId === pkcs12Oids.keyBag && value instanceof pkijs.PrivateKeyInfo) {
      bags.push({ kind: 'key', privateKey: derOf(value.toSchema()), ...labels });
    } else if (bag.bagId === pkcs12Oids.certBag && value instanceof pkijs.CertBag) {
      // Only X.509 certificates matter for S/MIME; SDSI and attribute certificates are skipped.
      if (value.certId !== pkcs12Oids.x509Certificate || !(value.certValue instanceof asn1js.OctetString))
        continue;
      const certificate = new Uint8Array(value.certValue.getValue());
      parseBer(certificate, certificateLimits, 'A certificate in the key file', 'MALFORMED_KEYFILE');
      bags.push({ kind: 'certificate', certificate, ...labels });
    } else if (value instanceof pkijs.SafeContents) {
      // safeContentsBag (§4.2.6): a nested SafeContents.
      bags.push(...(await bagsOf(value, keys)));
    }
    // CRL and secret bags carry nothing a mail client uses.
  }
  return bags;
}
