// KeyAgreeRecipientInfo (RFC 5652 §6.2.2) for EC recipients: ephemeral-static ECDH with the
// ANSI X9.63 KDF and AES key wrap, as RFC 5753 §3.1 specifies. One ephemeral key per recipient.
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { subtle } from '../../crypto/engine.js';
import {
  algorithmIdentifier,
  asOid,
  asSequence,
  asSmallInteger,
  der,
  encode,
  encodingOf,
  isContextTag,
  malformed,
  octets,
  taggedChildren,
  toBytes,
  webBytes,
} from './der.js';
import { ContentDecryptionFailed } from './content-cipher.js';
import { tripleDesKeyUnwrap } from './triple-des.js';
import type { KeyInHand } from './decryption-key.js';
import * as oids from './oids.js';
import { curveOf, type NamedCurve, type RecipientCertificate } from './recipient-certificate.js';
import {
  identifies,
  issuerAndSerialNumber,
  readAgreementRecipient,
  type RecipientIdentifier,
} from './recipient-identifier.js';

type Hash = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

// RFC 5753 §7.1.4. The cofactor variants are the same computation on P-256/384/521 (cofactor 1).
const kdfHashes: Record<string, Hash> = {
  [oids.DH_STD_SHA1_KDF]: 'SHA-1',
  [oids.DH_STD_SHA224_KDF]: 'SHA-224',
  [oids.DH_STD_SHA256_KDF]: 'SHA-256',
  [oids.DH_STD_SHA384_KDF]: 'SHA-384',
  [oids.DH_STD_SHA512_KDF]: 'SHA-512',
  [oids.DH_COFACTOR_SHA1_KDF]: 'SHA-1',
  [oids.DH_COFACTOR_SHA256_KDF]: 'SHA-256',
  [oids.DH_COFACTOR_SHA384_KDF]: 'SHA-384',
  [oids.DH_COFACTOR_SHA512_KDF]: 'SHA-512',
};

const wrapKeyBytes: Record<string, number> = {
  [oids.AES128_WRAP]: 16,
  [oids.AES192_WRAP]: 24,
  [oids.AES256_WRAP]: 32,
  [oids.CMS3DES_WRAP]: 24,
};

const hashBytes: Record<Hash, number> = {
  'SHA-1': 20,
  'SHA-224': 28,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};
const curveBits: Record<NamedCurve, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 528 };

// What Sealmail sends: the KDF hash matched to the curve's strength (RFC 5753 §8; RFC 6318 §4
// for P-384), and the AES key wrap as long as the content key (RFC 5753 §7.2).
const sendKdf: Record<NamedCurve, { oid: string; hash: Hash }> = {
  'P-256': { oid: oids.DH_STD_SHA256_KDF, hash: 'SHA-256' },
  'P-384': { oid: oids.DH_STD_SHA384_KDF, hash: 'SHA-384' },
  'P-521': { oid: oids.DH_STD_SHA512_KDF, hash: 'SHA-512' },
};
const sendWrap: Record<number, string> = { 16: oids.AES128_WRAP, 24: oids.AES192_WRAP, 32: oids.AES256_WRAP };

const oid = (value: string) => toBytes(new asn1js.ObjectIdentifier({ value }));

/**
 * ECC-CMS-SharedInfo (RFC 5753 §7.2): the wrap algorithm, the UKM, and the KEK length in bits.
 * `wrapAlgorithm` is the AlgorithmIdentifier's DER as sent: with parameters, if any (the 3DES
 * wrap has NULL), since both sides must hash the same bytes.
 */
function sharedInfo(wrapAlgorithm: Uint8Array, kekBytes: number, ukm: Uint8Array | undefined): Uint8Array {
  const bits = kekBytes * 8;
  const suppPubInfo = new Uint8Array([bits >>> 24, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff]);
  return encode(
    der(0x30, wrapAlgorithm, ...(ukm ? [der(0xa0, der(0x04, ukm))] : []), der(0xa2, der(0x04, suppPubInfo))),
  );
}

/** ANSI X9.63 KDF (SEC 1 §3.6.1): Hash(Z || counter || SharedInfo), counter from 1. */
async function x963Kdf(
  hash: Hash,
  secret: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  const input = new Uint8Array(secret.byteLength + 4 + info.byteLength);
  input.set(secret);
  input.set(info, secret.byteLength + 4);
  for (let counter = 1, at = 0; at < length; counter++) {
    new DataView(input.buffer).setUint32(secret.byteLength, counter);
    let block: Uint8Array;
    try {
      block = new Uint8Array(await subtle().digest(hash, input));
    } catch (error) {
      // WebCrypto has no SHA-224 (the sha224kdf schemes of RFC 5753 §7.1.4): a coded error, not
      // a NotSupportedError that the caller cannot tell from a bug.
      throw new SealmailError(
        'UNSUPPORTED_ALGORITHM',
        `The message uses ECDH with the ${hash} key derivation, which Sealmail does not support. ` +
          'Ask the sender to use ECDH with SHA-256 or stronger (RFC 5753).',
        { cause: error },
      );
    }
    out.set(block.subarray(0, Math.min(hashBytes[hash], length - at)), at);
    at += hashBytes[hash];
  }
  return out;
}

function keyEncryptionKey(
  hash: Hash,
  secret: Uint8Array,
  wrap: { oid: string; encoding: Uint8Array },
  ukm?: Uint8Array,
): Promise<Uint8Array> {
  const length = wrapKeyBytes[wrap.oid]!;
  return x963Kdf(hash, secret, sharedInfo(wrap.encoding, length, ukm), length);
}

const aesKeyWrapKey = (kek: Uint8Array, usage: 'wrapKey' | 'unwrapKey') =>
  subtle().importKey('raw', webBytes(kek), 'AES-KW', false, [usage]);

export async function keyAgreementRecipient(
  recipient: RecipientCertificate,
  contentKey: Uint8Array,
): Promise<Uint8Array> {
  if (recipient.key.kind !== 'ec') throw new TypeError('key agreement needs an EC certificate');
  const curve = recipient.key.curve;
  const kdf = sendKdf[curve];
  const wrapOid = sendWrap[contentKey.byteLength]!;
  const recipientKey = await subtle().importKey(
    'spki',
    webBytes(recipient.subjectPublicKeyInfo),
    { name: 'ECDH', namedCurve: curve },
    false,
    [],
  );
  const ephemeral = await subtle().generateKey({ name: 'ECDH', namedCurve: curve }, true, ['deriveBits']);
  const secret = new Uint8Array(
    await subtle().deriveBits({ name: 'ECDH', public: recipientKey }, ephemeral.privateKey, curveBits[curve]),
  );
  const wrapAlgorithm = encode(der(0x30, oid(wrapOid)));
  const kek = await aesKeyWrapKey(
    await keyEncryptionKey(kdf.hash, secret, { oid: wrapOid, encoding: wrapAlgorithm }),
    'wrapKey',
  );
  const cek = await subtle().importKey('raw', webBytes(contentKey), 'AES-CBC', true, ['encrypt']);
  const wrapped = new Uint8Array(await subtle().wrapKey('raw', cek, kek, 'AES-KW'));
  const point = new Uint8Array(await subtle().exportKey('raw', ephemeral.publicKey));
  // OriginatorPublicKey: id-ecPublicKey with absent parameters, the curve being the recipient's
  // (RFC 5753 §7.1.3); the BIT STRING holds the uncompressed point.
  const originatorKey = der(0xa1, der(0x30, oid(oids.EC_PUBLIC_KEY)), der(0x03, new Uint8Array([0]), point));
  return encode(
    der(
      0xa1, // [1] IMPLICIT KeyAgreeRecipientInfo within RecipientInfo
      new Uint8Array([0x02, 0x01, 0x03]), // version 3 (RFC 5652 §6.2.2)
      der(0xa0, originatorKey),
      der(0x30, oid(kdf.oid), wrapAlgorithm),
      der(0x30, der(0x30, issuerAndSerialNumber(recipient), der(0x04, wrapped))),
    ),
  );
}

export interface KeyAgreementInfo {
  /** The ephemeral public key: an uncompressed or compressed point. */
  originatorPoint: Uint8Array;
  /** The curve named in the originator key, if it names one (it usually does not). */
  originatorCurve?: NamedCurve;
  ukm?: Uint8Array;
  kdfOid: string;
  wrapOid: string;
  /** The wrap AlgorithmIdentifier's DER as sent, for ECC-CMS-SharedInfo. */
  wrapAlgorithm: Uint8Array;
  recipients: { rid: RecipientIdentifier; encryptedKey: Uint8Array }[];
}

function unsupported(detail: string): SealmailError {
  return new SealmailError(
    'UNSUPPORTED_ALGORITHM',
    `The message uses ECDH with ${detail}, which Sealmail does not support. Ask the sender to use ` +
      'ephemeral-static ECDH (RFC 5753) with AES key wrap.',
  );
}

/** Reads the fields of [1] IMPLICIT KeyAgreeRecipientInfo. */
export function readKeyAgreementRecipient(node: asn1js.BaseBlock): KeyAgreementInfo {
  const fields = taggedChildren(node, 'KeyAgreeRecipientInfo');
  asSmallInteger(fields[0], 'KeyAgreeRecipientInfo version');
  const [originator] = taggedChildren(fields[1], 'originator');
  if (!isContextTag(originator, 1)) throw unsupported('a static originator key');
  const [keyAlgorithm, publicKey] = taggedChildren(originator, 'originatorKey');
  const algorithm = algorithmIdentifier(keyAlgorithm, 'originator key algorithm');
  if (algorithm.oid !== oids.EC_PUBLIC_KEY) throw unsupported('a non-EC originator key');
  if (!(publicKey instanceof asn1js.BitString)) throw malformed('the originator key is not a BIT STRING');
  let originatorCurve: NamedCurve | undefined;
  if (algorithm.parameters instanceof asn1js.ObjectIdentifier) {
    originatorCurve = curveOf(asOid(algorithm.parameters, 'originator curve'));
    if (!originatorCurve) throw unsupported('an unknown curve');
  }
  let at = 2;
  let ukm: Uint8Array | undefined;
  if (isContextTag(fields[at], 1)) {
    ukm = octets(taggedChildren(fields[at], 'ukm')[0], 'ukm');
    at++;
  }
  const kdf = algorithmIdentifier(fields[at], 'key agreement algorithm');
  if (!kdfHashes[kdf.oid]) throw unsupported(`the key agreement scheme ${kdf.oid}`);
  const wrap = algorithmIdentifier(kdf.parameters, 'key wrap algorithm');
  if (!wrapKeyBytes[wrap.oid]) throw unsupported(`the key wrap ${wrap.oid}`);
  const recipients = asSequence(fields[at + 1], 'RecipientEncryptedKeys').map((entry) => {
    const [rid, encryptedKey] = asSequence(entry, 'RecipientEncryptedKey');
    return { rid: readAgreementRecipient(rid), encryptedKey: octets(encryptedKey, 'encryptedKey') };
  });
  return {
    originatorPoint: publicKey.valueBlock.valueHexView,
    ...(originatorCurve ? { originatorCurve } : {}),
    ...(ukm ? { ukm } : {}),
    kdfOid: kdf.oid,
    wrapOid: wrap.oid,
    wrapAlgorithm: encodingOf(kdf.parameters!),
    recipients,
  };
}

export function keyAgreementName(info: KeyAgreementInfo): string {
  const hash = kdfHashes[info.kdfOid]!.toLowerCase().replace('-', '');
  const wrap = info.wrapOid === oids.CMS3DES_WRAP ? '3des' : `aes${wrapKeyBytes[info.wrapOid]! * 8}`;
  return `ecdh-${hash}kdf-${wrap}-wrap`;
}

/** The content key for `key`, or ContentDecryptionFailed when it does not unwrap. */
export async function unwrapAgreedKey(
  info: KeyAgreementInfo,
  key: KeyInHand,
  keyLength: number,
): Promise<Uint8Array> {
  const mine = key.certificate;
  if (mine.key.kind !== 'ec') throw new ContentDecryptionFailed();
  const entry = info.recipients.find((candidate) => identifies(candidate.rid, mine));
  if (!entry) throw new ContentDecryptionFailed();
  const curve = mine.key.curve;
  if (info.originatorCurve && info.originatorCurve !== curve) throw new ContentDecryptionFailed();
  let ephemeral: CryptoKey;
  try {
    // WebCrypto checks that the point is on the curve, which stops invalid-curve attacks.
    ephemeral = await subtle().importKey(
      'raw',
      webBytes(info.originatorPoint),
      { name: 'ECDH', namedCurve: curve },
      false,
      [],
    );
  } catch {
    throw malformed('the sender’s ephemeral key is not a point on the curve');
  }
  const privateKey = await key.ecdh(curve);
  const secret = new Uint8Array(
    await subtle().deriveBits({ name: 'ECDH', public: ephemeral }, privateKey, curveBits[curve]),
  );
  const kek = await keyEncryptionKey(
    kdfHashes[info.kdfOid]!,
    secret,
    { oid: info.wrapOid, encoding: info.wrapAlgorithm },
    info.ukm,
  );
  const contentKey = await unwrap(info.wrapOid, kek, entry.encryptedKey);
  if (contentKey?.byteLength !== keyLength) throw new ContentDecryptionFailed();
  return contentKey;
}

async function unwrap(
  wrapOid: string,
  kek: Uint8Array,
  wrapped: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (wrapOid === oids.CMS3DES_WRAP) return tripleDesKeyUnwrap(kek, wrapped);
  try {
    // Unwrapped as an HMAC key because HMAC accepts any length, whatever the content cipher.
    const unwrapped = await subtle().unwrapKey(
      'raw',
      webBytes(wrapped),
      await aesKeyWrapKey(kek, 'unwrapKey'),
      'AES-KW',
      { name: 'HMAC', hash: 'SHA-256' },
      true,
      ['sign'],
    );
    return new Uint8Array(await subtle().exportKey('raw', unwrapped));
  } catch {
    return undefined; // RFC 3394 §2.2.3: the integrity check failed
  }
}
