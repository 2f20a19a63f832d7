// Encrypts content for a list of recipient certificates: EnvelopedData (RFC 5652 §6.1) with
// AES-CBC, or AuthEnvelopedData (RFC 5083) with AES-GCM, wrapped in ContentInfo. The outer
// layers are written by hand (der.ts) so that the ciphertext is copied once, into the output,
// or not at all (encryptContentParts), or made only as it is written out (encryptContentInPieces).
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { isAuthenticated, sealContent, startCbc, type ContentCipherName } from './content-cipher.js';
import { compareBytes, concat, der, encodeAround, encodeParts, LaterBytes, toBytes } from './der.js';
import { keyAgreementRecipient } from './key-agreement.js';
import { keyTransportRecipient } from './key-transport.js';
import { ID_AUTH_ENVELOPED_DATA, ID_DATA, ID_ENVELOPED_DATA } from './oids.js';
import { readRecipientCertificate, type RecipientCertificate } from './recipient-certificate.js';

export interface EnvelopeRecipient {
  /** DER X.509 certificate. */
  certificate: Uint8Array;
  /**
   * The recipient announced RSAES-OAEP (e.g. in SMIMECapabilities, RFC 8551 §2.5.2). Without
   * it RSA recipients get PKCS#1 v1.5, which every client reads. Ignored for EC certificates.
   */
  supportsRsaOaep?: boolean;
}

export interface EncryptOptions {
  /** Default 'aes-256-cbc' (issue 3). 'aes-256-gcm' writes AuthEnvelopedData. */
  cipher?: ContentCipherName;
}

const ciphers: readonly ContentCipherName[] = ['aes-256-cbc', 'aes-128-cbc', 'aes-256-gcm'];
const oid = (value: string) => toBytes(new asn1js.ObjectIdentifier({ value }));

function distinctRecipients(recipients: readonly (Uint8Array | EnvelopeRecipient)[]) {
  const seen = new Set<string>();
  const out: { certificate: RecipientCertificate; supportsRsaOaep: boolean }[] = [];
  for (const recipient of recipients) {
    const given = recipient instanceof Uint8Array ? { certificate: recipient } : recipient;
    const certificate = readRecipientCertificate(given.certificate);
    // The sender's own certificate is often also a To/Cc recipient: one RecipientInfo is enough.
    const id =
      Array.from(certificate.issuer).join(',') + '/' + Array.from(certificate.serialNumber).join(',');
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      certificate,
      supportsRsaOaep:
        certificate.key.kind === 'rsa' && (certificate.key.oaepOnly || given.supportsRsaOaep === true),
    });
  }
  return out;
}

export async function encryptContent(
  content: Uint8Array,
  recipients: readonly (Uint8Array | EnvelopeRecipient)[],
  options: EncryptOptions = {},
): Promise<Uint8Array> {
  return concat(await encryptContentParts(content, recipients, options));
}

/**
 * encryptContent's DER in pieces whose concatenation is the ContentInfo: the ciphertext's own
 * pieces are among them, never joined. `seal` base64-encodes the pieces straight into the
 * message, which saves a 25 MB copy (bench/smime.ts).
 */
export async function encryptContentParts(
  content: Uint8Array,
  recipients: readonly (Uint8Array | EnvelopeRecipient)[],
  options: EncryptOptions = {},
): Promise<Uint8Array[]> {
  const envelope = await encryptContentInPieces([content], recipients, options);
  const parts = [...envelope.before];
  for await (const piece of envelope.ciphertext) parts.push(piece);
  return [...parts, ...envelope.after];
}

/** An envelope whose ciphertext is made only as it is read. */
export interface EnvelopeInPieces {
  /** The DER before the ciphertext: ContentInfo, RecipientInfos, the algorithm, the lengths. */
  before: Uint8Array[];
  /** The ciphertext, a piece at a time; each piece is made when the previous one was taken. */
  ciphertext: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** The DER after the ciphertext (the GCM tag), often nothing. */
  after: Uint8Array[];
}

/**
 * The envelope of a content given as pieces that concatenate to it, with the ciphertext made as
 * it is read: DER states the length of the ciphertext before it, and CBC's is known from the
 * content's length, so the headers can go out first. `seal` writes each ciphertext piece out
 * before it asks for the next, so a 25 MB message is never held encrypted in whole
 * (bench/smime.ts). AES-GCM (one WebCrypto call) gets its ciphertext whole, at once.
 */
export async function encryptContentInPieces(
  content: readonly Uint8Array[],
  recipients: readonly (Uint8Array | EnvelopeRecipient)[],
  options: EncryptOptions = {},
): Promise<EnvelopeInPieces> {
  const cipher = options.cipher ?? 'aes-256-cbc';
  if (!ciphers.includes(cipher)) {
    throw new SealmailError(
      'UNSUPPORTED_ALGORITHM',
      `Sealmail cannot encrypt with "${String(cipher)}"; choose aes-256-cbc, aes-128-cbc or aes-256-gcm.`,
    );
  }
  const targets = distinctRecipients(recipients);
  if (targets.length === 0) {
    throw new SealmailError(
      'ENCRYPTION_UNAVAILABLE',
      'There is no recipient certificate to encrypt to. Add at least one recipient with a certificate.',
    );
  }

  if (isAuthenticated(cipher)) {
    const sealed = await sealContent(cipher, content.length === 1 ? content[0]! : concat(content));
    const recipientInfos = await recipientInfosFor(targets, sealed.contentKey);
    const encryptedContentInfo = der(0x30, oid(ID_DATA), sealed.algorithm, der(0x80, ...sealed.ciphertext));
    // RFC 5083 §2.1: version 0; no authAttrs, so the GCM additional data is empty.
    const body = der(
      0x30,
      new Uint8Array([0x02, 0x01, 0x00]),
      der(0x31, ...recipientInfos),
      encryptedContentInfo,
      der(0x04, sealed.mac!),
    );
    return {
      before: encodeParts(der(0x30, oid(ID_AUTH_ENVELOPED_DATA), der(0xa0, body))),
      ciphertext: [],
      after: [],
    };
  }

  const cbc = await startCbc(cipher);
  const recipientInfos = await recipientInfosFor(targets, cbc.contentKey);
  let length = 0;
  for (const piece of content) length += piece.byteLength;
  const encryptedContentInfo = der(
    0x30,
    oid(ID_DATA),
    cbc.algorithm,
    der(0x80, new LaterBytes(cbc.ciphertextLength(length))),
  );
  // RFC 5652 §6.1: version 2 when any RecipientInfo is not version 0 (KeyAgreeRecipientInfo is 3).
  const version = targets.some(({ certificate }) => certificate.key.kind === 'ec') ? 2 : 0;
  const body = der(
    0x30,
    new Uint8Array([0x02, 0x01, version]),
    der(0x31, ...recipientInfos),
    encryptedContentInfo,
  );
  const { before, after } = encodeAround(der(0x30, oid(ID_ENVELOPED_DATA), der(0xa0, body)));
  return { before, ciphertext: cbc.encrypt(content), after: after ?? [] };
}

/** One RecipientInfo per recipient, in DER SET OF order; the content key is wiped after. */
async function recipientInfosFor(
  targets: ReturnType<typeof distinctRecipients>,
  contentKey: Uint8Array,
): Promise<Uint8Array[]> {
  const recipientInfos = await Promise.all(
    targets.map(({ certificate, supportsRsaOaep }) =>
      certificate.key.kind === 'ec'
        ? keyAgreementRecipient(certificate, contentKey)
        : keyTransportRecipient(certificate, contentKey, supportsRsaOaep ? 'rsa-oaep-sha256' : 'rsa-pkcs1'),
    ),
  );
  contentKey.fill(0);
  // DER orders a SET OF by encoding (X.690 §11.6).
  return recipientInfos.sort(compareBytes);
}
