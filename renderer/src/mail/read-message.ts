// Turns the raw bytes from 'messages.fetchRaw' into what the reader shows. postal-mime is lenient,
// so we add the one check it does not make: every header field name must be printable ASCII
// without a colon or space (RFC 5322 §2.2). A message that fails is shown raw with a warning,
// never dropped, so the user can still see what arrived.
import PostalMime, { type Address, type Email } from 'postal-mime';

export interface AttachmentSummary {
  filename: string;
  mimeType: string;
  size: number;
  /** The bytes, for "Save"; in the renderer's memory only (a decrypted attachment never goes to main unasked). */
  content: Uint8Array;
}

export interface ParsedMessage {
  kind: 'parsed';
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  /** ISO 8601, or the header's own text when it is not a date. */
  date: string;
  text: string | null;
  html: string | null;
  attachments: AttachmentSummary[];
  /**
   * Images that are parts of this message, by Content-ID without the angle brackets, as data:
   * URLs, so the HTML's cid: references (RFC 2392) show without any fetch.
   */
  inlineImages: Record<string, string>;
}

export interface UnreadableMessage {
  kind: 'raw';
  /** The message as text (UTF-8, invalid bytes replaced), so the user sees what arrived. */
  raw: string;
  /** Why it could not be read, in plain words. */
  reason: string;
}

export type ReadableMessage = ParsedMessage | UnreadableMessage;

// RFC 5322 §2.2: field-name = 1*(%d33-57 / %d59-126)
const fieldName = /^[\x21-\x39\x3b-\x7e]+$/;

function describe(address: Address | undefined): string[] {
  if (!address) return [];
  if (address.group) return address.group.flatMap((member) => describe(member));
  return [address.name ? `${address.name} <${address.address}>` : address.address];
}

function describeAll(addresses: Address[] | undefined): string[] {
  return (addresses ?? []).flatMap((address) => describe(address));
}

function sizeOf(content: ArrayBuffer | Uint8Array | string): number {
  return typeof content === 'string' ? content.length : content.byteLength;
}

function bytesOf(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function dataUrl(mimeType: string, content: ArrayBuffer | Uint8Array | string): string {
  const bytes = bytesOf(content);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${mimeType};base64,${btoa(binary)}`;
}

function inlineImagesOf(email: Email): Record<string, string> {
  const images: Record<string, string> = {};
  for (const part of email.attachments) {
    const id = part.contentId?.replace(/^<|>$/g, '');
    // Only images: a cid: reference must not smuggle in a document or a script as a data: URL.
    if (id && /^image\/[\w.+-]+$/i.test(part.mimeType)) images[id] = dataUrl(part.mimeType, part.content);
  }
  return images;
}

function headerProblem(email: Email): string | null {
  if (email.headers.length === 0) return 'The message has no header section.';
  const bad = email.headers.find((header) => !fieldName.test(header.originalKey));
  if (bad)
    return 'The header section is not valid (RFC 5322 §2.2): a line is neither a header nor a continuation.';
  return null;
}

export async function readMessage(raw: Uint8Array): Promise<ReadableMessage> {
  const asText = () => new TextDecoder('utf-8', { fatal: false }).decode(raw);
  let email: Email;
  try {
    email = await PostalMime.parse(raw);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'raw', raw: asText(), reason: `The message could not be parsed: ${detail}` };
  }
  const problem = headerProblem(email);
  if (problem) return { kind: 'raw', raw: asText(), reason: problem };
  return {
    kind: 'parsed',
    from: describe(email.from).join(', '),
    to: describeAll(email.to),
    cc: describeAll(email.cc),
    subject: email.subject ?? '',
    date: email.date ?? '',
    text: email.text ?? null,
    html: email.html ?? null,
    attachments: email.attachments
      // Inline images referenced by the HTML are part of the body, not attachments.
      .filter((part) => !part.related)
      .map((part) => ({
        filename: part.filename ?? '(unnamed)',
        mimeType: part.mimeType,
        size: sizeOf(part.content),
        content: bytesOf(part.content),
      })),
    inlineImages: inlineImagesOf(email),
  };
}
