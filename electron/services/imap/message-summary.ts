// What the cache keeps of one message, built from the FETCH items ENVELOPE, FLAGS, RFC822.SIZE
// and BODYSTRUCTURE (RFC 3501 section 7.4.2). Pure: no connection, easy to test on odd input.
import type { FetchMessageObject, MessageAddressObject, MessageStructureObject } from 'imapflow';
import type { MessageSummary } from '../../../core/api/types.js';
import { summaryFromRow, type HeaderRow } from '../cache/header-row.js';

/** The items one sync FETCH asks for; the benchmark asks a plain imapflow for the same. */
export const summaryFetchQuery = {
  uid: true,
  flags: true,
  envelope: true,
  size: true,
  bodyStructure: true,
  internalDate: true,
} as const;

export const unreadableSubject = '(unreadable headers)';

/**
 * \Recent belongs to one IMAP session, not to the message (RFC 3501 2.3.2; dropped in RFC 9051):
 * cached, it would be wrong by the next session.
 */
export function cachedFlags(flags: Set<string> | undefined): string[] {
  return flags ? [...flags].filter((flag) => flag !== '\\Recent') : [];
}

function address(a: MessageAddressObject | undefined): string {
  if (!a) return '';
  if (a.name && a.address) return `${a.name} <${a.address}>`;
  return a.address ?? a.name ?? '';
}

/**
 * S/MIME shows in the root of the structure (RFC 8551 section 3.2 and 3.5):
 * application/pkcs7-mime is enveloped (encrypted) unless smime-type says signed-data, and
 * multipart/signed is a clear-signed message. Only the root counts (ARCHITECTURE.md: "A message
 * counts as signed only when the MIME root is signed").
 */
export function securityOf(root: MessageStructureObject | undefined): MessageSummary['security'] {
  if (!root) return 'none';
  const type = root.type.toLowerCase();
  if (type === 'application/pkcs7-mime' || type === 'application/x-pkcs7-mime') {
    const smimeType = (root.parameters?.['smime-type'] ?? '').toLowerCase();
    return smimeType === 'signed-data' ? 'signed' : 'encrypted';
  }
  if (type === 'multipart/signed') return 'signed';
  return 'none';
}

/** A part the user would call an attachment: disposition "attachment", or a named non-text leaf. */
export function hasAttachments(root: MessageStructureObject | undefined): boolean {
  if (!root) return false;
  const pending: MessageStructureObject[] = [root];
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (part.childNodes?.length) {
      // A signature part is not something the user attached.
      const type = part.type.toLowerCase();
      for (const child of part.childNodes) {
        const childType = child.type.toLowerCase();
        if (type === 'multipart/signed' && childType.endsWith('pkcs7-signature')) continue;
        pending.push(child);
      }
      continue;
    }
    if (part === root) continue;
    if (part.disposition?.toLowerCase() === 'attachment') return true;
    const named = part.dispositionParameters?.filename ?? part.parameters?.name;
    if (named && !part.type.toLowerCase().startsWith('text/')) return true;
  }
  return false;
}

/** Milliseconds since the epoch, or NaN: no ISO string is built for the 50,000 rows of a sync. */
function timeOf(value: Date | string | undefined): number {
  if (value === undefined) return NaN;
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

/**
 * The cache's row for one message, built once per message on the IMAP thread during a sync, so
 * it builds nothing the list does not show. Never throws: a message whose envelope the server
 * could not parse still gets a row, with what could be read and a subject that says so, so that
 * one bad message cannot break a sync. A nonsense date falls back to the arrival date, then to
 * the epoch.
 */
export function headerRow(message: FetchMessageObject): HeaderRow {
  const flags = cachedFlags(message.flags);
  const size = message.size ?? 0;
  const arrived = timeOf(message.internalDate);
  const fallbackDate = Number.isNaN(arrived) ? 0 : arrived;
  try {
    const envelope = message.envelope;
    const readable = Boolean(envelope && (envelope.subject || envelope.from?.length || envelope.date));
    const to: string[] = [];
    for (const a of envelope?.to ?? []) {
      const text = address(a);
      if (text !== '') to.push(text);
    }
    const sent = timeOf(envelope?.date);
    const root = message.bodyStructure;
    return [
      message.uid,
      address(envelope?.from?.[0]),
      to,
      readable ? (envelope?.subject ?? '') : unreadableSubject,
      Number.isNaN(sent) ? fallbackDate : sent,
      flags,
      size,
      securityOf(root),
      hasAttachments(root),
    ];
  } catch {
    return [message.uid, '', [], unreadableSubject, fallbackDate, flags, size, 'none', false];
  }
}

/** The same as the list shows it (see headerRow). */
export function summarize(message: FetchMessageObject): MessageSummary {
  return summaryFromRow(headerRow(message));
}
