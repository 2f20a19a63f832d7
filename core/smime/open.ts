// Opens a received message: removes its S/MIME layers from the root down (signed, encrypted,
// signed-inside-encrypted, encrypted-inside-signed, triple-wrapped; RFC 8551 §3.7) and returns
// the innermost content with a verdict. Only the root of each layer is a security layer (M1–M4),
// and the result is the decrypted entity alone under the message's own header fields: nothing
// decrypted is ever merged with unencrypted parts (EFAIL direct exfiltration).
import { SealmailError, type ErrorInfo } from '../errors.js';
import { oids } from '../asn1/oids.js';
import { defaultMessageSizeLimit } from '../asn1/limits.js';
import { decodeBase64, decodeBase64InPlace } from '../mime/base64.js';
import { messageHead } from '../mime/build-entities.js';
import { concatBytes } from '../mime/message-bytes.js';
import { decodedBody, parseEntity, type MimeEntity } from '../mime/entity.js';
import { isContentField } from '../mime/headers.js';
import { contentInfoType } from './content-info-type.js';
import { nestedSecurityParts } from './nested-parts.js';
import { readMultipartSigned } from './verify/multipart-signed.js';
import { checkSender } from './verify/sender-check.js';
import { readSignedData } from './verify/signed-data.js';
import { verifySignature, type TrustSettings } from './verify/verify-signature.js';
import {
  entry,
  invalidSignature,
  worseStatus,
  type SignatureStatus,
  type SignatureVerdict,
  type SignerSummary,
} from './verify/verdict.js';

/** A verdict warning; the envelope code may add codes of its own (e.g. a legacy cipher). */
export interface Notice {
  code: string;
  message: string;
}

export interface DecryptedContent {
  content: Uint8Array;
  warnings: Notice[];
}

/** Decrypts an EnvelopedData or AuthEnvelopedData ContentInfo (core/smime/envelope). */
export type Decryptor = (
  contentInfo: Uint8Array,
  /** `mayOverwrite`: the bytes are the decryptor's to decrypt in place (OpenOptions.inputIsDisposable). */
  use?: { mayOverwrite: boolean },
) => Promise<DecryptedContent>;

export interface OpenOptions extends TrustSettings {
  /** Absent when no key is at hand: an encrypted layer is then reported, not opened. */
  decrypt?: Decryptor;
  maxMessageBytes?: number;
  /**
   * The caller read the input for this call alone and will not look at it again, so an
   * encrypted layer may be base64-decoded and decrypted in the input's own bytes: for a 25 MB
   * message that is two message-sized buffers fewer (bench/smime.ts). `message` and
   * `messageParts` are then views into it.
   */
  inputIsDisposable?: boolean;
}

/** Exactly the object `sealmail open --json` prints (issue 3 CLI contract). */
export interface OpenReport {
  encrypted: boolean;
  decrypted: boolean;
  signed: boolean;
  signature: SignatureStatus;
  signer: SignerSummary | null;
  from: string | null;
  fromMatchesSigner: boolean | null;
  errors: ErrorInfo[];
  warnings: Notice[];
  /** The innermost signer's encryption certificate (DER), to harvest after a valid signature. */
  signerEncryptionCertificate?: Uint8Array;
}

export interface OpenedMessage {
  report: OpenReport;
  /**
   * The innermost content as a message: the outer header fields, then the inner entity. Built
   * on first use, so that a caller that wants only the verdict does not copy a 25 MB body.
   */
  readonly message: Uint8Array;
  /**
   * The same message as pieces that concatenate to it (the header, then the inner entity as a
   * view), for a caller that writes it out: joining them would copy a 25 MB body once more.
   */
  readonly messageParts: readonly Uint8Array[];
}

/** Deeper nesting than triple wrapping plus margin is not something a sender needs. */
const maxLayers = 6;

const pkcs7MimeTypes = ['application/pkcs7-mime', 'application/x-pkcs7-mime'];

function isPkcs7Mime(entity: MimeEntity): boolean {
  if (pkcs7MimeTypes.includes(entity.contentType.mediaType)) return true;
  // RFC 8551 §3.2.1: some senders label it application/octet-stream with a .p7m name.
  const name = (entity.contentType.parameters.name ?? '').toLowerCase();
  return entity.contentType.mediaType === 'application/octet-stream' && name.endsWith('.p7m');
}

/**
 * Whether this layer may be decoded and decrypted in place: only an encrypted layer that will be
 * opened, which either replaces the content with what it decrypts to or fails; so the bytes it
 * overwrites are never shown. Its type is read from the first few characters alone.
 */
function opensInPlace(entity: MimeEntity, options: OpenOptions): boolean {
  if (!options.inputIsDisposable || !options.decrypt || entity.transferEncoding !== 'base64') return false;
  try {
    const type = contentInfoType(decodeBase64(entity.body.subarray(0, 128)));
    return type === oids.envelopedData || type === oids.authEnvelopedData;
  } catch {
    return false; // the whole decode below reports what is wrong
  }
}

function cmsBytes(entity: MimeEntity, limit: number, inPlace = false): Uint8Array {
  const der =
    entity.transferEncoding === 'base64'
      ? (inPlace ? decodeBase64InPlace : decodeBase64)(entity.body, 'The S/MIME content')
      : decodedBody(entity);
  if (der.length > limit + 4 * 1024 * 1024) {
    throw new SealmailError(
      'MESSAGE_TOO_LARGE',
      `The message is larger than the ${Math.round(limit / 1048576)} MB limit.`,
    );
  }
  return der;
}

export async function openMessage(input: Uint8Array, options: OpenOptions): Promise<OpenedMessage> {
  const limit = options.maxMessageBytes ?? defaultMessageSizeLimit;
  // base64 makes a message at the limit about 4/3 larger in transit.
  if (input.length > Math.ceil(limit * 1.4) + 1024 * 1024) {
    throw new SealmailError(
      'MESSAGE_TOO_LARGE',
      `The message is larger than the ${Math.round(limit / 1048576)} MB limit; it was not opened.`,
    );
  }
  const root = parseEntity(input);
  const messageFields = root.headers.filter((field) => !isContentField(field));
  if (root.headers.length === 0) {
    throw new SealmailError('MALFORMED_MESSAGE', 'The input is not a message: it has no header fields.');
  }
  const signatures: SignatureVerdict[] = [];
  const warnings: Notice[] = [];
  let encrypted = false;
  let decrypted = false;
  let entity = root;
  let changed = false;

  for (let layer = 0; layer < maxLayers; layer++) {
    if (entity.contentType.mediaType === 'multipart/signed') {
      const signed = readMultipartSigned(entity);
      signatures.push(
        'der' in signed.signature
          ? await verifyDer(signed.signature.der, signed.signedContent, options, limit)
          : invalidSignature(
              'SIGNATURE_INVALID',
              `The signature cannot be read: ${signed.signature.problem}.`,
            ),
      );
      entity = parseEntity(signed.signedPart);
      changed = true;
      continue;
    }
    if (!isPkcs7Mime(entity)) break;
    // RFC 8551 §3.6: certs-only carries certificates, no signature; it is not a signed layer.
    if ((entity.contentType.parameters['smime-type'] ?? '').toLowerCase() === 'certs-only') break;
    const inPlace = opensInPlace(entity, options);
    const der = cmsBytes(entity, limit, inPlace);
    const type = contentInfoType(der);
    if (type === oids.signedData) {
      const object = readSignedData(der, limit);
      signatures.push(await verifyDer(der, null, options, limit, object));
      if (object.content === null) break;
      entity = parseEntity(object.content);
      changed = true;
      continue;
    }
    if (type !== oids.envelopedData && type !== oids.authEnvelopedData) {
      throw new SealmailError(
        'MALFORMED_CMS',
        `The S/MIME content has a type Sealmail does not know (${type}).`,
      );
    }
    encrypted = true;
    if (!options.decrypt) {
      warnings.push(
        entry(
          'NO_MATCHING_KEY',
          'The message is encrypted and no key was given, so its content was not opened.',
        ),
      );
      break;
    }
    const result = await decryptLayer(options.decrypt, der, inPlace);
    warnings.push(...result.warnings);
    decrypted = true;
    entity = parseEntity(result.content);
    changed = true;
  }
  warnings.push(...nestedSecurityParts(entity));
  const report = reportFor(signatures, root, encrypted, decrypted, warnings);
  const inner = entity;
  const parts = (): Uint8Array[] =>
    changed ? [messageHead(messageFields.map((field) => field.raw)), inner.raw] : [input];
  let message: Uint8Array | undefined;
  return {
    report,
    get message() {
      message ??= changed ? concatBytes(parts()) : input;
      return message;
    },
    get messageParts() {
      return parts();
    },
  };
}

/**
 * The envelope is a separate component behind the Decryptor seam. Whatever it throws that is not
 * already coded is about this input (the fuzz test finds such cases), so it becomes a coded error
 * rather than an uncaught one.
 */
async function decryptLayer(
  decrypt: Decryptor,
  der: Uint8Array,
  mayOverwrite: boolean,
): Promise<DecryptedContent> {
  try {
    return await decrypt(der, { mayOverwrite });
  } catch (error) {
    if (error instanceof SealmailError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new SealmailError('MALFORMED_CMS', `The encrypted content cannot be decrypted: ${detail}.`, {
      cause: error,
    });
  }
}

async function verifyDer(
  der: Uint8Array,
  detached: Uint8Array | null,
  options: OpenOptions,
  limit: number,
  parsed?: ReturnType<typeof readSignedData>,
): Promise<SignatureVerdict> {
  try {
    return await verifySignature(parsed ?? readSignedData(der, limit), detached, options);
  } catch (error) {
    // A signature that cannot even be parsed is an invalid signature on a readable message.
    if (error instanceof SealmailError && error.code !== 'MESSAGE_TOO_LARGE') {
      return invalidSignature('SIGNATURE_INVALID', `The signature cannot be read: ${error.message}`);
    }
    throw error;
  }
}

function reportFor(
  signatures: SignatureVerdict[],
  root: MimeEntity,
  encrypted: boolean,
  decrypted: boolean,
  warnings: Notice[],
): OpenReport {
  const errors: ErrorInfo[] = [];
  let status: SignatureStatus = 'none';
  for (const verdict of signatures) {
    status = worseStatus(status, verdict.status);
    errors.push(...verdict.errors);
    warnings.push(...verdict.warnings);
  }
  // The innermost signature covers what the reader sees; its signer is the one reported.
  const inner = signatures[signatures.length - 1];
  let from: string | null;
  let fromMatchesSigner: boolean | null = null;
  if (inner) {
    const sender = checkSender(root.headers, inner.signerEmails);
    from = sender.from;
    fromMatchesSigner = inner.signer ? sender.fromMatchesSigner : false;
    errors.push(...sender.errors);
    warnings.push(...sender.warnings);
  } else {
    from = checkSender(root.headers, []).from;
  }
  return {
    encrypted,
    decrypted,
    signed: signatures.length > 0,
    signature: status,
    signer: inner?.signer ?? null,
    from,
    fromMatchesSigner,
    errors: dedupe(errors),
    warnings: dedupe(warnings),
    signerEncryptionCertificate: inner?.signerEncryptionCertificate,
  };
}

function dedupe<T extends Notice>(entries: T[]): T[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.code}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
