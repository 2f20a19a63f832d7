// Replies and forwards start from the message being read. Seed 000: an answer to an encrypted,
// Private or Confidential message stays encrypted and at least as sensitive, and the composer
// cannot lower either (this also closes reply-based decryption oracles: ARCHITECTURE.md
// "Sensitivity"). The quoted text is the decrypted text, which stays in the renderer until the
// worker encrypts the answer again.
import type { DraftFloor, DraftStart } from './compose-draft.svelte.js';
import type { ShownMessage } from './open-message.svelte.js';

export type Answer = 'reply' | 'reply-all' | 'forward';

/** "Alice <alice@example.test>" → "alice@example.test" */
export function addressOf(text: string): string {
  const inBrackets = /<([^<>\s]+@[^<>\s]+)>/.exec(text);
  return (inBrackets ? inBrackets[1]! : text).trim();
}

function withPrefix(prefix: 'Re' | 'Fwd', subject: string): string {
  const already = new RegExp(`^\\s*${prefix}:`, 'i');
  return already.test(subject) ? subject : `${prefix}: ${subject}`;
}

/** The original's date the way the user reads dates; the header's own text if it is not one. */
function dateInWords(date: string): string {
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? date : parsed.toLocaleString();
}

function quoted(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .trimEnd()
    .split('\n')
    .map((line) => (line.startsWith('>') ? `>${line}` : `> ${line}`))
    .join('\n');
}

function floorOf(shown: ShownMessage, answer: Answer): DraftFloor | undefined {
  const encrypted = shown.report?.encrypted ?? shown.summary.security === 'encrypted';
  const sensitivity = shown.headers.sensitivity;
  if (!encrypted && sensitivity === 'normal') return undefined;
  const what = encrypted ? 'an encrypted' : sensitivity === 'private' ? 'a Private' : 'a Confidential';
  const verb = answer === 'forward' ? 'You are forwarding' : 'You are replying to';
  return { encrypt: true, sensitivity, because: `${verb} ${what} message` };
}

export function answerDraft(shown: ShownMessage, answer: Answer, me: string): DraftStart {
  const message = shown.message;
  const parsed = message.kind === 'parsed' ? message : null;
  const from = parsed?.from || shown.summary.from;
  const subject = parsed?.subject || shown.summary.subject;
  const date = dateInWords(parsed?.date || shown.summary.date);
  const text = parsed?.text ?? '';
  const floor = floorOf(shown, answer);
  const thread = shown.headers.messageId
    ? {
        inReplyTo: shown.headers.messageId,
        references: [...shown.headers.references, shown.headers.messageId],
      }
    : {};

  if (answer === 'forward') {
    const to = parsed?.to ?? shown.summary.to;
    const header = [
      '---------- Forwarded message ----------',
      `From: ${from}`,
      `Date: ${date}`,
      `Subject: ${subject}`,
      `To: ${to.join(', ')}`,
    ].join('\n');
    return {
      subject: withPrefix('Fwd', subject),
      text: `\n\n${header}\n\n${text}`,
      attachments: (parsed?.attachments ?? []).map((attachment) => ({
        filename: attachment.filename,
        contentType: attachment.mimeType,
        // A copy with its own ArrayBuffer: the draft may outlive the message shown in the reader.
        content: new Uint8Array(attachment.content),
      })),
      ...(floor ? { floor } : {}),
    };
  }

  const mine = me.toLowerCase();
  const sender = addressOf(from);
  const others = (list: string[]) =>
    list.map(addressOf).filter((address) => address.toLowerCase() !== mine && address !== sender);
  const to = sender.toLowerCase() === mine ? others(parsed?.to ?? shown.summary.to) : [sender];
  const cc =
    answer === 'reply-all' ? [...others(parsed?.to ?? shown.summary.to), ...others(parsed?.cc ?? [])] : [];
  return {
    to,
    cc: cc.filter((address) => !to.includes(address)),
    subject: withPrefix('Re', subject),
    text: `\n\nOn ${date}, ${from} wrote:\n${quoted(text)}`,
    ...thread,
    ...(floor ? { floor } : {}),
  };
}
