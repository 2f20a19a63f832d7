// Encrypts content for a list of recipient certificates: EnvelopedData (RFC 5652 §6.1) with
// AES-CBC, or AuthEnvelopedData (RFC 5083) with AES-GCM, wrapped in ContentInfo. The outer
// layers are written by hand (der.ts) so that the ciphertext is copied once, into the output,
// or not at all (encryptContentParts).
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { isAuthenticated, sealContent, type ContentCipherName } from './content-cipher.js';
import { compareBytes, concat, der, encodeParts, toBytes, type DerNode } from './der.js';
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
  return encodeParts(await envelopeFor(content, recipients, options));
}

async function envelopeFor(
  content: Uint8Array,
  recipients: readonly (Uint8Array | EnvelopeRecipient)[],
  options: EncryptOptions,
): Promise<DerNode> {
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
  const sealed = await sealContent(cipher, content);
  const recipientInfos = await Promise.all(
    targets.map(({ certificate, supportsRsaOaep }) =>
      certificate.key.kind === 'ec'
        ? keyAgreementRecipient(certificate, sealed.contentKey)
        : keyTransportRecipient(
            certificate,
            sealed.contentKey,
            supportsRsaOaep ? 'rsa-oaep-sha256' : 'rsa-pkcs1',
          ),
    ),
  );
  sealed.contentKey.fill(0);
  // DER orders a SET OF by encoding (X.690 §11.6).
  recipientInfos.sort(compareBytes);
  const encryptedContentInfo = der(0x30, oid(ID_DATA), sealed.algorithm, der(0x80, ...sealed.ciphertext));

  if (isAuthenticated(cipher)) {
    // RFC 5083 §2.1: version 0; no authAttrs, so the GCM additional data is empty.
    const body = der(
      0x30,
      new Uint8Array([0x02, 0x01, 0x00]),
      der(0x31, ...recipientInfos),
      encryptedContentInfo,
      der(0x04, sealed.mac!),
    );
    return der(0x30, oid(ID_AUTH_ENVELOPED_DATA), der(0xa0, body));
  }
  // RFC 5652 §6.1: version 2 when any RecipientInfo is not version 0 (KeyAgreeRecipientInfo is 3).
  const version = targets.some(({ certificate }) => certificate.key.kind === 'ec') ? 2 : 0;
  const body = der(
    0x30,
    new Uint8Array([0x02, 0x01, version]),
    der(0x31, ...recipientInfos),
    encryptedContentInfo,
  );
  return der(0x30, oid(ID_ENVELOPED_DATA), der(0xa0, body));
}
