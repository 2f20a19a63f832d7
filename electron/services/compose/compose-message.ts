// Turns what the user wrote (OutgoingMessage) into the raw RFC 5322 message that the outbox keeps
// and sends. Raw MIME is the unit of the outbox because S/MIME (issue 3) signs and encrypts these
// exact bytes before they are queued; the outbox never re-composes anything.
import MailComposer from 'nodemailer/lib/mail-composer';
import { randomBytes } from 'node:crypto';
import type { OutgoingMessage } from '../../../core/api/schemas.js';
import type { StoredAccount } from '../accounts/stored-account.js';
import { SealmailError } from '../../../core/errors.js';

/** The SMTP envelope (RFC 5321 MAIL FROM / RCPT TO), which may differ from the headers. */
export interface SmtpEnvelope {
  from: string;
  to: string[];
}

export interface ComposedMessage {
  raw: Uint8Array;
  /** With angle brackets, as in the header: "<...@domain>". */
  messageId: string;
  envelope: SmtpEnvelope;
}

/** RFC 5322 §3.6.4: the right side should be a domain that makes the id unique; we use the sender's. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1) || 'sealmail.invalid';
  return `<${randomBytes(16).toString('hex')}@${domain}>`;
}

/** Every distinct recipient, To, Cc and Bcc, in that order; case-insensitive duplicates dropped. */
export function envelopeRecipients(message: Pick<OutgoingMessage, 'to' | 'cc' | 'bcc'>): string[] {
  const seen = new Set<string>();
  const all: string[] = [];
  for (const address of [...message.to, ...message.cc, ...message.bcc]) {
    const key = address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(address);
  }
  return all;
}

/**
 * RFC 2156 §5.3.4 Sensitivity (seed 000): "Private" and "Company-Confidential" as Outlook and
 * Exchange write them; a normal message carries no header at all, as they do.
 */
const sensitivityHeaders: Record<OutgoingMessage['sensitivity'], string | null> = {
  normal: null,
  private: 'Private',
  confidential: 'Company-Confidential',
};

export async function composeMessage(
  account: Pick<StoredAccount, 'name' | 'email'>,
  message: OutgoingMessage,
  now: Date = new Date(),
): Promise<ComposedMessage> {
  const recipients = envelopeRecipients(message);
  if (recipients.length === 0)
    throw new SealmailError(
      'INVALID_REQUEST',
      'The message has no recipient: add at least one To, Cc or Bcc address.',
    );
  const messageId = newMessageId(account.email);
  const sensitivity = sensitivityHeaders[message.sensitivity];
  const composer = new MailComposer({
    from: { name: account.name, address: account.email },
    to: message.to,
    cc: message.cc,
    // Bcc goes only into the envelope below: MailComposer leaves it out of the headers unless
    // keepBcc is set, so Bcc recipients stay hidden from everyone else (RFC 5322 §3.6.3).
    bcc: message.bcc,
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined ? { html: message.html } : {}),
    messageId,
    date: now,
    ...(sensitivity ? { headers: { Sensitivity: sensitivity } } : {}),
    ...(message.inReplyTo !== undefined ? { inReplyTo: message.inReplyTo } : {}),
    ...(message.references !== undefined ? { references: message.references } : {}),
    attachments: message.attachments.map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: Buffer.from(
        attachment.content.buffer,
        attachment.content.byteOffset,
        attachment.content.byteLength,
      ),
    })),
  });
  const raw = await composer.compile().build();
  return {
    raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
    messageId,
    envelope: { from: account.email, to: recipients },
  };
}
