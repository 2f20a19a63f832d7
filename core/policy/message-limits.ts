// The policy's limits on one outgoing message (issue 7, seed 001): checked BEFORE any crypto
// work, so a message that may not go is refused at once with an error that says which rule and
// what to do. The composer (renderer) and `sealmail mail send` share these.
import { SealmailError } from '../errors.js';
import type { EffectivePolicy } from './effective-policy.js';
import { MEGABYTE } from './policy-document.js';
import { EVERY_EXTENSION } from './restrictive-policy.js';

export type MessageLimits = Pick<
  EffectivePolicy,
  'maxMessageBytes' | 'maxRecipients' | 'blockedAttachmentExtensions'
>;

/**
 * Whether the policy blocks a file name. Windows ignores trailing dots and spaces ("a.exe. "
 * runs as a.exe), so they are ignored here too; a compound entry ("tar.gz") matches the end.
 */
export function attachmentBlocked(extensions: readonly string[], filename: string): boolean {
  if (extensions.includes(EVERY_EXTENSION)) return true;
  const name = filename.toLowerCase().replace(/[. ]+$/, '');
  return extensions.some((ext) => name.endsWith(`.${ext}`));
}

/** The size of the MIME message before encryption, from its parts, rounded up (RFC 2045 §6.8). */
export function estimatedMessageBytes(parts: {
  textBytes: number;
  attachmentBytes: readonly number[];
}): number {
  // Base64 turns 3 bytes into 4 and adds CRLF every 76 characters; each part has ~300 bytes of
  // headers, and the message ~2 KB.
  const base64 = (n: number): number => Math.ceil(n / 3) * 4 + Math.ceil(n / 57) * 2;
  return 2048 + parts.textBytes * 1.05 + parts.attachmentBytes.reduce((sum, n) => sum + 300 + base64(n), 0);
}

function megabytes(bytes: number): string {
  return `${(bytes / MEGABYTE).toFixed(1).replace(/\.0$/, '')} MB`;
}

export function checkAttachments(limits: MessageLimits, filenames: readonly string[]): void {
  const extensions = limits.blockedAttachmentExtensions.value;
  const blocked = filenames.filter((name) => attachmentBlocked(extensions, name));
  if (blocked.length === 0) return;
  throw new SealmailError(
    'BLOCKED_BY_POLICY',
    extensions.includes(EVERY_EXTENSION)
      ? `Your organisation does not allow attachments; remove ${blocked.join(', ')}.`
      : `Your organisation does not allow attaching ${blocked.join(', ')} (blocked file types: ` +
          `${extensions.map((ext) => `.${ext}`).join(' ')}); remove ${blocked.length === 1 ? 'it' : 'them'} or send a different format.`,
  );
}

export function checkRecipientCount(limits: MessageLimits, recipients: number): void {
  const max = limits.maxRecipients.value;
  if (recipients <= max) return;
  throw new SealmailError(
    'BLOCKED_BY_POLICY',
    `This message has ${recipients} recipients; your organisation allows at most ${max}. Remove some, or send it in parts.`,
  );
}

export function checkMessageSize(limits: MessageLimits, bytes: number): void {
  const max = limits.maxMessageBytes.value;
  if (bytes <= max) return;
  throw new SealmailError(
    'MESSAGE_TOO_LARGE',
    `This message is about ${megabytes(bytes)}; your organisation allows at most ${megabytes(max)}. ` +
      'Remove or shrink attachments, or share large files another way.',
  );
}
