// Composing raw MIME for the outbox (electron/services/compose): what the recipients will see.
import { expect, test } from 'vitest';
import PostalMime from 'postal-mime';
import { SealmailError } from '../../core/errors.js';
import { composeMessage, envelopeRecipients } from '../../electron/services/compose/compose-message.js';
import { readOutgoingHeaders } from '../../electron/services/compose/outgoing-headers.js';
import { outgoingMessageSchema } from '../../core/api/schemas.js';

const alice = { name: 'Alice Example', email: 'alice@example.test' };

function message(fields: Record<string, unknown>) {
  return outgoingMessageSchema.parse({ subject: 'Quarterly report', text: 'See attached.\n', ...fields });
}

test('the message has From, To, Cc, Subject, a body and the attachment, byte for byte', async () => {
  const content = new Uint8Array([0, 1, 2, 250, 255]);
  const composed = await composeMessage(
    alice,
    message({
      to: ['bob@example.test'],
      cc: ['carol@example.test'],
      attachments: [{ filename: 'report.bin', contentType: 'application/octet-stream', content }],
    }),
  );
  const parsed = await PostalMime.parse(composed.raw);
  expect(parsed.from).toEqual({ name: 'Alice Example', address: 'alice@example.test' });
  expect(parsed.to?.map((a) => a.address)).toEqual(['bob@example.test']);
  expect(parsed.cc?.map((a) => a.address)).toEqual(['carol@example.test']);
  expect(parsed.subject).toBe('Quarterly report');
  expect(parsed.text?.trim()).toBe('See attached.');
  expect(parsed.messageId).toBe(composed.messageId);
  expect(parsed.attachments).toHaveLength(1);
  expect(parsed.attachments[0]?.filename).toBe('report.bin');
  expect(new Uint8Array(parsed.attachments[0]?.content as ArrayBuffer)).toEqual(content);
});

test('Bcc recipients get the message but are not in its headers (RFC 5322 §3.6.3)', async () => {
  const composed = await composeMessage(
    alice,
    message({ to: ['bob@example.test'], bcc: ['carol@example.test'] }),
  );
  expect(composed.envelope).toEqual({
    from: 'alice@example.test',
    to: ['bob@example.test', 'carol@example.test'],
  });
  expect(new TextDecoder().decode(composed.raw)).not.toContain('carol@example.test');
});

test("each message gets its own Message-ID on the sender's domain, readable back from the bytes", async () => {
  const a = await composeMessage(alice, message({ to: ['bob@example.test'] }));
  const b = await composeMessage(alice, message({ to: ['bob@example.test'] }));
  expect(a.messageId).toMatch(/^<[0-9a-f]{32}@example\.test>$/);
  expect(a.messageId).not.toBe(b.messageId);
  expect(await readOutgoingHeaders(a.raw)).toEqual({ messageId: a.messageId, subject: 'Quarterly report' });
});

test('a recipient named twice (in any case) gets one copy', () => {
  expect(
    envelopeRecipients({ to: ['Bob@example.test'], cc: ['bob@example.test'], bcc: ['carol@example.test'] }),
  ).toEqual(['Bob@example.test', 'carol@example.test']);
});

test('no recipient at all is a clear error', async () => {
  const error: unknown = await composeMessage(alice, message({ to: [] })).catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(SealmailError);
  expect((error as SealmailError).code).toBe('INVALID_REQUEST');
  expect((error as SealmailError).message).toContain('add at least one To, Cc or Bcc');
});

test('raw MIME without a Message-ID cannot be queued', async () => {
  const raw = new TextEncoder().encode('Subject: hi\r\n\r\nbody\r\n');
  const error: unknown = await readOutgoingHeaders(raw).catch((reason: unknown) => reason);
  expect((error as SealmailError).code).toBe('MALFORMED_MESSAGE');
});
