// Content-encryption algorithms: AES-CBC (RFC 3565), AES-GCM (RFC 5084) and, for reading old
// mail only, 3DES-CBC (RFC 3370 §5.1). AES runs in WebCrypto; 3DES in triple-des.ts.
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { subtle } from '../../crypto/engine.js';
import { decryptCbcPieces, encryptCbcStream } from './aes-cbc-pieces.js';
import { tripleDesCbcDecrypt } from './triple-des.js';
import { type AlgorithmIdentifier, asSequence, malformed, octets, toBytes, webBytes } from './der.js';
import {
  AES128_CBC,
  AES128_GCM,
  AES192_CBC,
  AES192_GCM,
  AES256_CBC,
  AES256_GCM,
  DES_EDE3_CBC,
} from './oids.js';

export type ContentCipherName = 'aes-256-cbc' | 'aes-128-cbc' | 'aes-256-gcm';

export interface EnvelopeWarning {
  code: string;
  message: string;
}

interface CipherSpec {
  name: string;
  mode: 'cbc' | 'gcm' | 'des-ede3-cbc';
  keyLength: number;
}

const ciphers: Record<string, CipherSpec> = {
  [AES128_CBC]: { name: 'aes-128-cbc', mode: 'cbc', keyLength: 16 },
  [AES192_CBC]: { name: 'aes-192-cbc', mode: 'cbc', keyLength: 24 },
  [AES256_CBC]: { name: 'aes-256-cbc', mode: 'cbc', keyLength: 32 },
  [AES128_GCM]: { name: 'aes-128-gcm', mode: 'gcm', keyLength: 16 },
  [AES192_GCM]: { name: 'aes-192-gcm', mode: 'gcm', keyLength: 24 },
  [AES256_GCM]: { name: 'aes-256-gcm', mode: 'gcm', keyLength: 32 },
  [DES_EDE3_CBC]: { name: 'des-ede3-cbc', mode: 'des-ede3-cbc', keyLength: 24 },
};

const oidByName: Record<ContentCipherName, string> = {
  'aes-128-cbc': AES128_CBC,
  'aes-256-cbc': AES256_CBC,
  'aes-256-gcm': AES256_GCM,
};

export function cipherSpec(algorithm: AlgorithmIdentifier): CipherSpec {
  const spec = ciphers[algorithm.oid];
  if (!spec) {
    throw new SealmailError(
      'UNSUPPORTED_ALGORITHM',
      `The message is encrypted with an algorithm Sealmail does not support (${algorithm.oid}); ` +
        'Sealmail reads AES-CBC, AES-GCM and 3DES. Ask the sender to use AES.',
    );
  }
  return spec;
}

export function isAuthenticated(name: ContentCipherName): boolean {
  return name.endsWith('-gcm');
}

export interface SealedContent {
  contentKey: Uint8Array;
  /** DER AlgorithmIdentifier for EncryptedContentInfo.contentEncryptionAlgorithm. */
  algorithm: Uint8Array;
  /** Pieces that concatenate to the ciphertext (aes-cbc-pieces.ts), never joined by Sealmail. */
  ciphertext: Uint8Array[];
  /** The GCM tag, which RFC 5083 §2.1 carries in `mac`, not after the ciphertext. */
  mac?: Uint8Array;
}

// RFC 5084 §3.2: GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen DEFAULT 12 }
const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;

/** AES-CBC with a fresh key and IV, ready to encrypt a content of any size piece by piece. */
export interface CbcSealer {
  contentKey: Uint8Array;
  algorithm: Uint8Array;
  /** The ciphertext's length for `bytes` of content: PKCS#7 always adds 1 to 16 bytes. */
  ciphertextLength(bytes: number): number;
  /** The ciphertext of the content given in pieces, one piece at a time (aes-cbc-pieces.ts). */
  encrypt(content: readonly Uint8Array[]): AsyncGenerator<Uint8Array>;
}

export async function startCbc(name: ContentCipherName): Promise<CbcSealer> {
  const oid = oidByName[name];
  const spec = ciphers[oid]!;
  if (spec.mode !== 'cbc') throw new Error(`${name} is not a CBC cipher`);
  const contentKey = globalThis.crypto.getRandomValues(new Uint8Array(spec.keyLength));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const key = await subtle().importKey('raw', webBytes(contentKey), 'AES-CBC', false, ['encrypt']);
  const algorithm = new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: oid }), new asn1js.OctetString({ valueHex: iv })],
  });
  return {
    contentKey,
    algorithm: toBytes(algorithm),
    ciphertextLength: (bytes) => (Math.floor(bytes / 16) + 1) * 16,
    encrypt: (content) => encryptCbcStream(key, iv, content),
  };
}

export async function sealContent(name: ContentCipherName, content: Uint8Array): Promise<SealedContent> {
  const oid = oidByName[name];
  const spec = ciphers[oid]!;
  if (spec.mode === 'cbc') {
    const cbc = await startCbc(name);
    const ciphertext: Uint8Array[] = [];
    for await (const piece of cbc.encrypt([content])) ciphertext.push(piece);
    return { contentKey: cbc.contentKey, algorithm: cbc.algorithm, ciphertext };
  }
  const contentKey = globalThis.crypto.getRandomValues(new Uint8Array(spec.keyLength));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(GCM_NONCE_BYTES));
  const key = await subtle().importKey('raw', webBytes(contentKey), 'AES-GCM', false, ['encrypt']);
  const sealed = new Uint8Array(
    await subtle().encrypt({ name: 'AES-GCM', iv, tagLength: GCM_TAG_BYTES * 8 }, key, webBytes(content)),
  );
  const algorithm = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: oid }),
      new asn1js.Sequence({
        value: [new asn1js.OctetString({ valueHex: iv }), new asn1js.Integer({ value: GCM_TAG_BYTES })],
      }),
    ],
  });
  // Views into WebCrypto's one output buffer: no copy of the ciphertext.
  return {
    contentKey,
    algorithm: toBytes(algorithm),
    ciphertext: [sealed.subarray(0, sealed.byteLength - GCM_TAG_BYTES)],
    mac: sealed.subarray(sealed.byteLength - GCM_TAG_BYTES),
  };
}

export interface OpenedContent {
  content: Uint8Array;
  cipher: string;
  warnings: EnvelopeWarning[];
}

/** Thrown for any failure of the content cipher; deliberately says nothing about padding. */
export class ContentDecryptionFailed extends Error {}

export async function openContent(
  algorithm: AlgorithmIdentifier,
  contentKey: Uint8Array,
  ciphertext: Uint8Array,
  authenticated?: { mac: Uint8Array; additionalData?: Uint8Array },
  /** AES-CBC only: decrypt into the ciphertext's own bytes (decryptCbcPieces). */
  inPlace = false,
): Promise<OpenedContent> {
  const spec = cipherSpec(algorithm);
  if (contentKey.byteLength !== spec.keyLength) throw new ContentDecryptionFailed();
  if ((spec.mode === 'gcm') !== (authenticated !== undefined)) {
    throw malformed(`${spec.name} does not belong in this kind of envelope`);
  }
  if (spec.mode === 'cbc') {
    const iv = octets(algorithm.parameters, 'AES-CBC IV');
    if (iv.byteLength !== 16) throw malformed('the AES-CBC IV is not 16 bytes');
    // 'encrypt' too: decryptCbcPieces makes one padding block per piece with it.
    const key = await subtle().importKey('raw', webBytes(contentKey), 'AES-CBC', false, [
      'encrypt',
      'decrypt',
    ]);
    try {
      const content = await decryptCbcPieces(key, iv, ciphertext, inPlace);
      return { content, cipher: spec.name, warnings: [] };
    } catch {
      throw new ContentDecryptionFailed();
    }
  }
  if (spec.mode === 'gcm' && authenticated) {
    const [nonceNode, icvNode] = asSequence(algorithm.parameters, 'GCMParameters');
    const nonce = octets(nonceNode, 'GCM nonce');
    const tagBytes = icvNode instanceof asn1js.Integer ? icvNode.valueBlock.valueDec : 12;
    if (nonce.byteLength < 1 || nonce.byteLength > 64 || tagBytes < 12 || tagBytes > 16) {
      throw malformed('the AES-GCM parameters are out of range');
    }
    if (authenticated.mac.byteLength !== tagBytes) throw malformed('the GCM tag has the wrong length');
    const key = await subtle().importKey('raw', webBytes(contentKey), 'AES-GCM', false, ['decrypt']);
    // WebCrypto wants the tag after the ciphertext: the one copy GCM costs.
    const joined = new Uint8Array(ciphertext.byteLength + tagBytes);
    joined.set(ciphertext);
    joined.set(authenticated.mac, ciphertext.byteLength);
    try {
      const content = await subtle().decrypt(
        {
          name: 'AES-GCM',
          iv: webBytes(nonce),
          tagLength: tagBytes * 8,
          ...(authenticated.additionalData ? { additionalData: webBytes(authenticated.additionalData) } : {}),
        },
        key,
        joined,
      );
      return { content: new Uint8Array(content), cipher: spec.name, warnings: [] };
    } catch {
      throw new ContentDecryptionFailed();
    }
  }
  return openTripleDes(algorithm, contentKey, ciphertext);
}

async function openTripleDes(
  algorithm: AlgorithmIdentifier,
  contentKey: Uint8Array,
  ciphertext: Uint8Array,
): Promise<OpenedContent> {
  const iv = octets(algorithm.parameters, '3DES IV');
  if (iv.byteLength !== 8) throw malformed('the 3DES IV is not 8 bytes');
  const content = await tripleDesCbcDecrypt(contentKey, iv, ciphertext, true);
  if (!content) throw new ContentDecryptionFailed();
  return {
    content,
    cipher: 'des-ede3-cbc',
    warnings: [
      {
        code: 'WEAK_CIPHER',
        message:
          'This message was encrypted with 3DES, an old cipher that no longer protects mail well. ' +
          'Ask the sender to upgrade their mail program to AES.',
      },
    ],
  };
}
