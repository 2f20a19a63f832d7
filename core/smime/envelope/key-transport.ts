// KeyTransRecipientInfo (RFC 5652 §6.2.1) for RSA recipients: RSAES-OAEP (RFC 8017 §7.1, with
// the CMS parameters of RFC 3560) or RSAES-PKCS1-v1_5 (RFC 3370 §4.2.1).
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { subtle } from '../../crypto/engine.js';
import {
  algorithmIdentifier,
  asSequence,
  asSmallInteger,
  der,
  encode,
  isContextTag,
  octets,
  taggedChildren,
  toBytes,
  webBytes,
  type AlgorithmIdentifier,
} from './der.js';
import type { KeyInHand, OaepHash } from './decryption-key.js';
import { ContentDecryptionFailed } from './content-cipher.js';
import { MGF1, P_SPECIFIED, RSAES_OAEP, RSA_ENCRYPTION, SHA1, SHA256, SHA384, SHA512 } from './oids.js';
import {
  issuerAndSerialNumber,
  readTransportRecipient,
  type RecipientIdentifier,
} from './recipient-identifier.js';
import type { RecipientCertificate } from './recipient-certificate.js';
import { pkcs1DecryptContentKey, pkcs1Encrypt } from './rsa-pkcs1.js';
import { readRsaPublicKey } from './raw-rsa.js';

export type KeyTransport = 'rsa-oaep-sha256' | 'rsa-pkcs1';

const oid = (value: string) => toBytes(new asn1js.ObjectIdentifier({ value }));
const NULL = new Uint8Array([0x05, 0x00]);

/** RSAES-OAEP-params with SHA-256 and MGF1-SHA-256 (RFC 4055 §4.1); SHA-2 ids have no parameters. */
function oaepSha256Algorithm(): Uint8Array {
  const sha256 = der(0x30, oid(SHA256));
  return encode(
    der(0x30, oid(RSAES_OAEP), der(0x30, der(0xa0, sha256), der(0xa1, der(0x30, oid(MGF1), sha256)))),
  );
}

export async function keyTransportRecipient(
  recipient: RecipientCertificate,
  contentKey: Uint8Array,
  transport: KeyTransport,
): Promise<Uint8Array> {
  let algorithm: Uint8Array;
  let encryptedKey: Uint8Array;
  if (transport === 'rsa-oaep-sha256') {
    const key = await subtle().importKey(
      'spki',
      webBytes(recipient.subjectPublicKeyInfo),
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      ['encrypt'],
    );
    encryptedKey = new Uint8Array(await subtle().encrypt({ name: 'RSA-OAEP' }, key, webBytes(contentKey)));
    algorithm = oaepSha256Algorithm();
  } else {
    encryptedKey = pkcs1Encrypt(readRsaPublicKey(recipient.subjectPublicKeyInfo), contentKey);
    algorithm = encode(der(0x30, oid(RSA_ENCRYPTION), NULL));
  }
  // version 0 with issuerAndSerialNumber (RFC 5652 §6.2.1)
  return encode(
    der(
      0x30,
      new Uint8Array([0x02, 0x01, 0x00]),
      issuerAndSerialNumber(recipient),
      algorithm,
      der(0x04, encryptedKey),
    ),
  );
}

export interface KeyTransportInfo {
  rid: RecipientIdentifier;
  algorithm: AlgorithmIdentifier;
  encryptedKey: Uint8Array;
}

export function readKeyTransportRecipient(node: asn1js.BaseBlock): KeyTransportInfo {
  const [version, rid, algorithm, encryptedKey] = asSequence(node, 'KeyTransRecipientInfo');
  asSmallInteger(version, 'KeyTransRecipientInfo version');
  return {
    rid: readTransportRecipient(rid),
    algorithm: algorithmIdentifier(algorithm, 'key encryption algorithm'),
    encryptedKey: octets(encryptedKey, 'encryptedKey'),
  };
}

const oaepHashes: Record<string, OaepHash> = {
  [SHA1]: 'SHA-1',
  [SHA256]: 'SHA-256',
  [SHA384]: 'SHA-384',
  [SHA512]: 'SHA-512',
};

function unsupportedOaep(detail: string): SealmailError {
  return new SealmailError(
    'UNSUPPORTED_ALGORITHM',
    `The message uses RSA-OAEP with ${detail}, which Sealmail does not support. Ask the sender to use SHA-256.`,
  );
}

function hashOf(node: asn1js.BaseBlock | undefined): OaepHash {
  const hash = oaepHashes[algorithmIdentifier(node, 'OAEP hash').oid];
  if (!hash) throw unsupportedOaep('an unknown hash');
  return hash;
}

/** RSAES-OAEP-params (RFC 4055 §4.1): every field has a SHA-1 default. WebCrypto needs MGF1 with the same hash. */
function oaepParameters(parameters: asn1js.BaseBlock | undefined): { hash: OaepHash; label?: Uint8Array } {
  let hash: OaepHash = 'SHA-1';
  let mgfHash: OaepHash = 'SHA-1';
  let label: Uint8Array | undefined;
  const fields = parameters instanceof asn1js.Sequence ? asSequence(parameters, 'RSAES-OAEP-params') : [];
  for (const field of fields) {
    const [inner] = taggedChildren(field, 'RSAES-OAEP-params field');
    if (isContextTag(field, 0)) hash = hashOf(inner);
    else if (isContextTag(field, 1)) {
      const mgf = algorithmIdentifier(inner, 'OAEP mask generation');
      if (mgf.oid !== MGF1) throw unsupportedOaep('a mask generation function other than MGF1');
      mgfHash = hashOf(mgf.parameters);
    } else if (isContextTag(field, 2)) {
      const source = algorithmIdentifier(inner, 'OAEP label source');
      if (source.oid !== P_SPECIFIED) throw unsupportedOaep('an unknown label source');
      label = octets(source.parameters, 'OAEP label');
    }
  }
  if (hash !== mgfHash) throw unsupportedOaep('different hashes for OAEP and MGF1');
  return { hash, ...(label && label.byteLength > 0 ? { label } : {}) };
}

export function keyTransportName(info: KeyTransportInfo): string {
  if (info.algorithm.oid === RSA_ENCRYPTION) return 'rsa-pkcs1';
  if (info.algorithm.oid === RSAES_OAEP)
    return `rsa-oaep-${oaepParameters(info.algorithm.parameters).hash.toLowerCase().replace('-', '')}`;
  return info.algorithm.oid;
}

/**
 * The content key of `keyLength` bytes. PKCS#1 v1.5 never fails here (see rsa-pkcs1.ts); OAEP
 * fails with ContentDecryptionFailed, exactly as a wrong content key would later.
 */
export async function unwrapTransportedKey(
  info: KeyTransportInfo,
  key: KeyInHand,
  keyLength: number,
): Promise<Uint8Array> {
  if (key.certificate.key.kind !== 'rsa') throw new ContentDecryptionFailed();
  if (info.algorithm.oid === RSA_ENCRYPTION) {
    return pkcs1DecryptContentKey(await key.rawRsa(), info.encryptedKey, keyLength);
  }
  if (info.algorithm.oid === RSAES_OAEP) {
    const { hash, label } = oaepParameters(info.algorithm.parameters);
    const privateKey = await key.rsaOaep(hash);
    let contentKey: Uint8Array;
    try {
      contentKey = new Uint8Array(
        await subtle().decrypt(
          { name: 'RSA-OAEP', ...(label ? { label: webBytes(label) } : {}) },
          privateKey,
          webBytes(info.encryptedKey),
        ),
      );
    } catch {
      throw new ContentDecryptionFailed();
    }
    if (contentKey.byteLength !== keyLength) throw new ContentDecryptionFailed();
    return contentKey;
  }
  throw new SealmailError(
    'UNSUPPORTED_ALGORITHM',
    `The message's key is encrypted with ${info.algorithm.oid}; Sealmail reads RSA PKCS#1 v1.5, RSA-OAEP and ECDH.`,
  );
}
