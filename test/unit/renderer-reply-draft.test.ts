// Seed 000: an answer to an encrypted, Private or Confidential message starts encrypted and as
// sensitive, and quotes the (decrypted) text; threading follows RFC 5322 §3.6.4.
import { expect, test } from 'vitest';
import type { ShownMessage } from '../../renderer/src/state/open-message.svelte.js';
import { answerDraft } from '../../renderer/src/state/reply-draft.js';

function shown(overrides: Partial<ShownMessage> = {}): ShownMessage {
  return {
    accountId: 'bob',
    summary: {
      uid: 1,
      from: 'alice@example.test',
      to: ['bob@example.test'],
      subject: 'Plans',
      date: '2026-11-23T10:00:00.000Z',
      flags: [],
      size: 100,
      security: 'encrypted',
      hasAttachments: false,
    },
    message: {
      kind: 'parsed',
      from: 'Alice <alice@example.test>',
      to: ['bob@example.test', 'carol@example.test'],
      cc: ['dave@example.test'],
      subject: 'Plans',
      date: '2026-11-23T10:00:00.000Z',
      text: 'The launch is on Friday.\nTell nobody.',
      html: null,
      attachments: [],
      inlineImages: {},
    },
    headers: { messageId: '<m1@example.test>', references: ['<m0@example.test>'], sensitivity: 'normal' },
    report: null,
    ...overrides,
  };
}

test('a reply to an encrypted message starts encrypted, says why, and quotes the decrypted text', () => {
  const draft = answerDraft(shown(), 'reply', 'bob@example.test');
  expect(draft.to).toEqual(['alice@example.test']);
  expect(draft.cc).toEqual([]);
  expect(draft.subject).toBe('Re: Plans');
  expect(draft.floor).toEqual({
    encrypt: true,
    sensitivity: 'normal',
    because: 'You are replying to an encrypted message',
  });
  expect(draft.text).toContain('> The launch is on Friday.\n> Tell nobody.');
  expect(draft.inReplyTo).toBe('<m1@example.test>');
  expect(draft.references).toEqual(['<m0@example.test>', '<m1@example.test>']);
});

test('reply all leaves me out; a Confidential message keeps its sensitivity in a forward', () => {
  const all = answerDraft(shown(), 'reply-all', 'bob@example.test');
  expect(all.to).toEqual(['alice@example.test']);
  expect(all.cc).toEqual(['carol@example.test', 'dave@example.test']);
  const forward = answerDraft(
    shown({
      summary: { ...shown().summary, security: 'none' },
      headers: { messageId: null, references: [], sensitivity: 'confidential' },
    }),
    'forward',
    'bob@example.test',
  );
  expect(forward.subject).toBe('Fwd: Plans');
  expect(forward.to).toBeUndefined();
  expect(forward.floor).toEqual({
    encrypt: true,
    sensitivity: 'confidential',
    because: 'You are forwarding a Confidential message',
  });
});

test('a reply to plain mail has no floor', () => {
  const draft = answerDraft(
    shown({ summary: { ...shown().summary, security: 'none' } }),
    'reply',
    'bob@example.test',
  );
  expect(draft.floor).toBeUndefined();
});

test('a forward carries the original attachments, copied, and a reply does not', () => {
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
  const withAttachment = shown({
    message: {
      ...(shown().message as Extract<ShownMessage['message'], { kind: 'parsed' }>),
      attachments: [{ filename: 'plan.pdf', mimeType: 'application/pdf', size: 4, content: pdf }],
    },
  });
  const forward = answerDraft(withAttachment, 'forward', 'bob@example.test');
  expect(forward.attachments).toEqual([
    { filename: 'plan.pdf', contentType: 'application/pdf', content: pdf },
  ]);
  // Its own copy: closing the reader must not change what the draft will send.
  expect(forward.attachments?.[0]?.content).not.toBe(pdf);
  expect(answerDraft(withAttachment, 'reply', 'bob@example.test').attachments).toBeUndefined();
});
