// The CMS envelope: encrypt content to recipient certificates, decrypt it with the key file's
// keys. seal/open call these two functions; keep their shapes stable.
//
// encryptContent(content, recipients, { cipher }) → DER ContentInfo holding EnvelopedData
//   (aes-256-cbc, the default, or aes-128-cbc) or AuthEnvelopedData (aes-256-gcm). RSA
//   recipients get RSA-OAEP-SHA256 when marked supportsRsaOaep, else PKCS#1 v1.5; EC (P-256 and
//   P-384; P-521 untested) recipients get ephemeral-static ECDH. Throws ENCRYPTION_UNAVAILABLE (no
//   recipients), MALFORMED_CERTIFICATE, UNSUPPORTED_ALGORITHM. encryptContentParts: the same DER
//   in pieces, the ciphertext not copied (for base64 straight into the message).
// decryptContent(der, keys) → { content, algorithm facts, warnings (WEAK_CIPHER for 3DES) }.
//   Throws MALFORMED_CMS (not an envelope, damaged structure), NO_MATCHING_KEY (not encrypted
//   to any supplied key), DECRYPTION_FAILED (addressed to a key, but altered or damaged),
//   UNSUPPORTED_ALGORITHM, MALFORMED_KEY (a key that cannot be read or used). { inPlace } decrypts
//   into the bytes of `der`.
// encryptContentInPieces(pieces, recipients, { cipher }) → the envelope's DER before and after
//   the ciphertext, and the ciphertext made piece by piece as it is read (for `seal` to write out).
export {
  encryptContent,
  encryptContentParts,
  encryptContentInPieces,
  type EnvelopeInPieces,
  type EncryptOptions,
  type EnvelopeRecipient,
} from './encrypt-content.js';
export {
  decryptContent,
  type DecryptOptions,
  type DecryptedContent,
  type EnvelopeFacts,
} from './decrypt-content.js';
export type { DecryptionKey } from './decryption-key.js';
export type { ContentCipherName, EnvelopeWarning } from './content-cipher.js';
export type { EnvelopeStructure } from './read-envelope.js';
