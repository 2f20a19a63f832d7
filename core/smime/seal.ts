// Seals an outgoing message: signs its content entity as multipart/signed (RFC 8551 §3.5), then
// encrypts the signed entity (signed-inside-encrypted, the order ARCHITECTURE.md "Sending"
// names), optionally signing the encrypted result again (triple wrapping, RFC 2634 §1.1). The
// message's own header fields (From, To, Subject, ...) are kept as they were.
import { SealmailError } from '../errors.js';
import { defaultMessageSizeLimit } from '../asn1/limits.js';
import { Base64LineEncoder } from '../mime/base64.js';
import {
  boundaryFor,
  buildMessage,
  buildMultipartSignedParts,
  buildPkcs7MimeEntity,
  messageHead,
  pkcs7MimeHead,
  type SmimeType,
} from '../mime/build-entities.js';
import { separateMessageInPieces } from '../mime/content-entity.js';
import { parseEntity } from '../mime/entity.js';
import { concatBytes } from '../mime/message-bytes.js';
import type { EnvelopeInPieces } from './envelope/index.js';
import type { ContentDigest } from './sign/content-digest.js';
import { createSignature, micalgFor } from './sign/create-signature.js';
import type { SignatureHash, SigningIdentity } from './sign/signing-identity.js';

export interface EncryptedEntity {
  /**
   * DER of an EnvelopedData or AuthEnvelopedData ContentInfo, or pieces that concatenate to it
   * (encryptContentParts), so that a 25 MB ciphertext is not joined to its header to be encoded.
   */
  der: Uint8Array | readonly Uint8Array[];
  smimeType: SmimeType;
}

/** Encrypts a canonical MIME entity (core/smime/envelope decides ciphers and recipients). */
export type Encryptor = (entity: Uint8Array) => Promise<EncryptedEntity>;

/**
 * Encrypts a canonical MIME entity given as pieces, making the ciphertext only as it is written
 * out (envelope/encryptContentInPieces): with sealMessageTo, a 25 MB message is then never held
 * whole, encrypted or encoded.
 */
export type PieceEncryptor = (
  entity: readonly Uint8Array[],
) => Promise<{ envelope: EnvelopeInPieces; smimeType: SmimeType }>;

/** Takes the sealed message a piece at a time; the next piece is made once this one is taken. */
export type PieceWriter = (piece: Uint8Array) => Promise<void>;

export interface SealOptions {
  sign?: {
    /** May be a promise: the message is prepared while the key file unlocks. */
    identity: SigningIdentity | PromiseLike<SigningIdentity>;
    hash?: SignatureHash;
    signingTime?: Date;
    /** Opaque signed-data (RFC 8551 §3.4.2) instead of multipart/signed; for readers without MIME. */
    opaque?: boolean;
    /** How to digest the content (default WebCrypto; the CLI passes node:crypto's). */
    digest?: ContentDigest;
  };
  encrypt?: Encryptor | { inPieces: PieceEncryptor };
  /** Sign again around the encrypted entity (needs both sign and encrypt). */
  tripleWrap?: boolean;
  maxMessageBytes?: number;
}

export async function sealMessage(input: Uint8Array, options: SealOptions): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  await sealMessageTo(input, options, async (piece) => {
    pieces.push(piece);
  });
  return pieces.length === 1 ? pieces[0]! : concatBytes(pieces);
}

/** sealMessage, handing the sealed message to `write` in pieces instead of returning it. */
export async function sealMessageTo(
  input: Uint8Array,
  options: SealOptions,
  write: PieceWriter,
): Promise<void> {
  const limit = options.maxMessageBytes ?? defaultMessageSizeLimit;
  // Seed 001's policy limit is checked before any work (issue 3).
  if (input.length > limit) {
    throw new SealmailError(
      'MESSAGE_TOO_LARGE',
      `The message is ${(input.length / 1048576).toFixed(1)} MB; the limit is ${Math.round(limit / 1048576)} MB. Send large files another way.`,
    );
  }
  if (!options.sign && !options.encrypt) {
    throw new SealmailError('INVALID_REQUEST', 'Nothing to do: choose signing, encryption or both.');
  }
  const message = parseEntity(input);
  if (message.headers.length === 0) {
    throw new SealmailError('MALFORMED_MESSAGE', 'The input is not a message: it has no header fields.');
  }
  const { messageFields, contentEntity } = separateMessageInPieces(message);
  const sign = async (content: readonly Uint8Array[]): Promise<Uint8Array[]> => {
    if (!options.sign) return [...content];
    const hash = options.sign.hash ?? 'SHA-256';
    const opaque = options.sign.opaque ?? false;
    // Chosen before the signing key is awaited: the scan of the content overlaps the unlock.
    const boundary = opaque ? '' : boundaryFor(content);
    const signature = await createSignature(content, options.sign.identity, {
      hash,
      signingTime: options.sign.signingTime,
      detached: !opaque,
      digest: options.sign.digest,
    });
    return opaque
      ? [buildPkcs7MimeEntity(signature, 'signed-data')]
      : buildMultipartSignedParts(content, signature, micalgFor(hash), boundary);
  };
  let entity = await sign(contentEntity);
  const encrypt = options.encrypt;
  if (encrypt && 'inPieces' in encrypt && !options.tripleWrap) {
    // The common case, written as it is made: the header, then the envelope in base64 lines.
    const { envelope, smimeType } = await encrypt.inPieces(entity);
    await write(concatBytes([messageHead(messageFields), pkcs7MimeHead(smimeType)]));
    const base64 = new Base64LineEncoder();
    await write(base64.push(concatBytes(envelope.before)));
    // One write in flight while the next piece is encoded; pieces still go out in order.
    let writing = Promise.resolve();
    for await (const piece of envelope.ciphertext) {
      const encoded = base64.push(piece);
      await writing;
      writing = write(encoded);
      // Awaited on the next turn; until then a failed write must not count as unhandled.
      writing.catch(() => undefined);
    }
    await writing;
    await write(concatBytes([base64.push(concatBytes(envelope.after)), base64.finish()]));
    return;
  }
  if (encrypt) {
    const encrypted = await encryptWhole(encrypt, entity);
    if (!options.tripleWrap) {
      // The entity is the body, written with the header in one go.
      await write(buildPkcs7MimeEntity(encrypted.der, encrypted.smimeType, messageHead(messageFields)));
      return;
    }
    entity = await sign([buildPkcs7MimeEntity(encrypted.der, encrypted.smimeType)]);
  }
  await write(buildMessage(messageFields, entity.length === 1 ? entity[0]! : concatBytes(entity)));
}

async function encryptWhole(
  encrypt: Encryptor | { inPieces: PieceEncryptor },
  entity: readonly Uint8Array[],
): Promise<EncryptedEntity> {
  if (!('inPieces' in encrypt)) return encrypt(entity.length === 1 ? entity[0]! : concatBytes(entity));
  const { envelope, smimeType } = await encrypt.inPieces(entity);
  const der = [...envelope.before];
  for await (const piece of envelope.ciphertext) der.push(piece);
  return { der: [...der, ...envelope.after], smimeType };
}
