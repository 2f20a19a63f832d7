// Seals an outgoing message: signs its content entity as multipart/signed (RFC 8551 §3.5), then
// encrypts the signed entity (signed-inside-encrypted, the order ARCHITECTURE.md "Sending"
// names), optionally signing the encrypted result again (triple wrapping, RFC 2634 §1.1). The
// message's own header fields (From, To, Subject, ...) are kept as they were.
import { SealmailError } from '../errors.js';
import { defaultMessageSizeLimit } from '../asn1/limits.js';
import {
  buildMessage,
  buildMultipartSignedEntity,
  buildPkcs7MimeEntity,
  messageHead,
  type SmimeType,
} from '../mime/build-entities.js';
import { separateMessage } from '../mime/content-entity.js';
import { parseEntity } from '../mime/entity.js';
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

export interface SealOptions {
  sign?: {
    identity: SigningIdentity;
    hash?: SignatureHash;
    signingTime?: Date;
    /** Opaque signed-data (RFC 8551 §3.4.2) instead of multipart/signed; for readers without MIME. */
    opaque?: boolean;
  };
  encrypt?: Encryptor;
  /** Sign again around the encrypted entity (needs both sign and encrypt). */
  tripleWrap?: boolean;
  maxMessageBytes?: number;
}

export async function sealMessage(input: Uint8Array, options: SealOptions): Promise<Uint8Array> {
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
  const { messageFields, contentEntity } = separateMessage(message);
  let entity = contentEntity;
  const sign = async (content: Uint8Array) => {
    if (!options.sign) return content;
    const hash = options.sign.hash ?? 'SHA-256';
    const opaque = options.sign.opaque ?? false;
    const signature = await createSignature(content, options.sign.identity, {
      hash,
      signingTime: options.sign.signingTime,
      detached: !opaque,
    });
    return opaque
      ? buildPkcs7MimeEntity(signature, 'signed-data')
      : buildMultipartSignedEntity(content, signature, micalgFor(hash));
  };
  entity = await sign(entity);
  if (options.encrypt) {
    const encrypted = await options.encrypt(entity);
    if (!options.tripleWrap) {
      // The common case: the encrypted entity is the body, written with the header in one go.
      return buildPkcs7MimeEntity(encrypted.der, encrypted.smimeType, messageHead(messageFields));
    }
    entity = await sign(buildPkcs7MimeEntity(encrypted.der, encrypted.smimeType));
  }
  return buildMessage(messageFields, entity);
}
