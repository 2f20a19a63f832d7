// The organisation's limits on a draft (seed 001; issue 7's EffectivePolicy), checked as the user
// adds recipients and attachments, so a send is never refused later for a reason the composer
// could have named at once.
import type { EffectivePolicy } from '../../../core/policy/effective-policy.js';
import { checkAttachments, type MessageLimits } from '../../../core/policy/message-limits.js';
import { toErrorInfo } from '../../../core/errors.js';

export interface AttachmentFacts {
  filename: string;
  size: number;
}

/** "12.5 MB", "800 KB": sizes the way a file manager shows them. */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Why `file` may not be attached, or null. `alreadyAttached` is the size of what the draft holds;
 * the limit is on the whole message, so the sum decides (before encryption, as seed 001 counts).
 */
export function attachmentProblem(
  file: AttachmentFacts,
  alreadyAttached: number,
  policy: MessageLimits,
): string | null {
  // The same rule as `sealmail mail send` (core/policy/message-limits.ts): trailing dots and
  // spaces ignored, compound entries ("tar.gz") matched at the end, and "*" (the restrictive
  // policy a broken policy file falls back to) blocking every attachment.
  try {
    checkAttachments(policy, [file.filename]);
  } catch (error) {
    return `"${file.filename}" cannot be attached. ${toErrorInfo(error).message}`;
  }
  const limit = policy.maxMessageBytes.value;
  if (alreadyAttached + file.size > limit) {
    const room = Math.max(0, limit - alreadyAttached);
    return (
      `"${file.filename}" (${sizeInWords(file.size)}) cannot be attached: a message may be at most ` +
      `${sizeInWords(limit)}, and ${sizeInWords(room)} is left.`
    );
  }
  return null;
}

/** Why the draft has too many recipients, or null. */
export function recipientCountProblem(
  count: number,
  policy: Pick<EffectivePolicy, 'maxRecipients'>,
): string | null {
  const limit = policy.maxRecipients.value;
  if (count <= limit) return null;
  return `A message may go to at most ${limit} recipients; this one has ${count}. Remove ${count - limit}.`;
}

/** The same rule as the services' schema (core/api/schemas.ts), so a chip is never refused later. */
export function isAddress(text: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(text) && text.length >= 3 && text.length <= 320;
}

/** "a@x, b@y; <c@z>" → ["a@x", "b@y", "c@z"] */
export function addressesIn(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((part) => part.trim().replace(/^<|>$/g, ''))
    .filter((part) => part.length > 0);
}
