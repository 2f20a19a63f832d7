// The header fields a reply needs and the reader's security decisions rest on, read from the
// message's own (outer) header block without parsing a possibly 25 MB body: Message-ID and
// References for threading (RFC 5322 §3.6.4) and Sensitivity (RFC 2156 §5.3.4, seed 000).
import PostalMime from 'postal-mime';
import type { Sensitivity } from '../state/compose-draft.svelte.js';

export interface OuterHeaders {
  messageId: string | null;
  references: string[];
  sensitivity: Sensitivity;
}

/** Everything before the first empty line (RFC 5322 §2.1), plus the empty line. */
function headerBlock(raw: Uint8Array): Uint8Array {
  for (let i = 0; i + 1 < raw.length; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return raw.subarray(0, i + 2);
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return raw.subarray(0, i + 3);
  }
  return raw;
}

/** RFC 2156: Personal / Private / Company-Confidential. "Personal" asks for no protection. */
function sensitivityOf(value: string | undefined): Sensitivity {
  const word = (value ?? '').trim().toLowerCase();
  if (word === 'company-confidential') return 'confidential';
  if (word === 'private') return 'private';
  return 'normal';
}

export async function readOuterHeaders(raw: Uint8Array): Promise<OuterHeaders> {
  const parsed = await PostalMime.parse(headerBlock(raw));
  const field = (name: string) => parsed.headers.find((header) => header.key === name)?.value;
  const references = (field('references') ?? '').match(/<[^<>\s]+>/g) ?? [];
  return {
    messageId: parsed.messageId?.trim() || null,
    references,
    sensitivity: sensitivityOf(field('sensitivity')),
  };
}
