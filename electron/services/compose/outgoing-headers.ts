// Reads the two headers the outbox needs from a raw message it did not compose itself (for
// example one that S/MIME has already signed or encrypted): the Message-ID, which makes the Sent
// copy idempotent, and the Subject, which the Outbox shows.
import PostalMime from 'postal-mime';
import { SealmailError } from '../../../core/errors.js';

export interface OutgoingHeaders {
  messageId: string;
  subject: string;
}

/** The header block: everything before the first empty line (RFC 5322 §2.1). */
function headerBlock(raw: Uint8Array): Uint8Array {
  for (let i = 0; i + 1 < raw.length; i++) {
    if (raw[i] === 0x0a && raw[i + 1] === 0x0a) return raw.subarray(0, i + 1);
    if (raw[i] === 0x0a && raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return raw.subarray(0, i + 1);
  }
  return raw;
}

export async function readOutgoingHeaders(raw: Uint8Array): Promise<OutgoingHeaders> {
  const block = headerBlock(raw);
  const headersOnly = new Uint8Array(block.length + 2);
  headersOnly.set(block);
  headersOnly.set([0x0d, 0x0a], block.length);
  const parsed = await PostalMime.parse(headersOnly);
  const messageId = parsed.messageId?.trim();
  if (!messageId || !/^<[^<>\s]+@[^<>\s]+>$/.test(messageId))
    throw new SealmailError(
      'MALFORMED_MESSAGE',
      'The message to queue has no valid Message-ID header (RFC 5322 §3.6.4); compose it with composeMessage, which adds one.',
    );
  return { messageId, subject: parsed.subject ?? '' };
}
