// What the cache keeps of a message, from the FETCH items alone: never a body.
import { expect, test } from 'vitest';
import type { FetchMessageObject, MessageStructureObject } from 'imapflow';
import {
  cachedFlags,
  hasAttachments,
  securityOf,
  summarize,
  unreadableSubject,
} from '../../electron/services/imap/message-summary.js';

const text: MessageStructureObject = { type: 'text/plain', parameters: { charset: 'utf-8' } };

test('\\Recent is not cached: it belongs to one IMAP session (RFC 3501 2.3.2)', () => {
  expect(cachedFlags(new Set(['\\Seen', '\\Recent', '$Label1']))).toEqual(['\\Seen', '$Label1']);
  expect(cachedFlags(undefined)).toEqual([]);
});

test('S/MIME is read from the root of the structure only (RFC 8551 3.2, 3.5)', () => {
  expect(securityOf({ type: 'application/pkcs7-mime', parameters: { 'smime-type': 'enveloped-data' } })).toBe(
    'encrypted',
  );
  expect(securityOf({ type: 'application/x-pkcs7-mime' })).toBe('encrypted');
  expect(securityOf({ type: 'application/pkcs7-mime', parameters: { 'smime-type': 'signed-data' } })).toBe(
    'signed',
  );
  expect(
    securityOf({
      type: 'multipart/signed',
      childNodes: [text, { type: 'application/pkcs7-signature', parameters: { name: 'smime.p7s' } }],
    }),
  ).toBe('signed');
  // A signed part inside a plain multipart does not make the message signed.
  expect(
    securityOf({ type: 'multipart/mixed', childNodes: [{ type: 'multipart/signed', childNodes: [text] }] }),
  ).toBe('none');
  expect(securityOf(undefined)).toBe('none');
});

test('attachments: a part with disposition attachment or a named non-text leaf, never the signature', () => {
  expect(hasAttachments(text)).toBe(false);
  expect(
    hasAttachments({
      type: 'multipart/mixed',
      childNodes: [
        text,
        { type: 'text/csv', disposition: 'attachment', dispositionParameters: { filename: 'a.csv' } },
      ],
    }),
  ).toBe(true);
  expect(
    hasAttachments({
      type: 'multipart/mixed',
      childNodes: [text, { type: 'image/png', parameters: { name: 'p.png' } }],
    }),
  ).toBe(true);
  expect(
    hasAttachments({
      type: 'multipart/signed',
      childNodes: [text, { type: 'application/pkcs7-signature', disposition: 'attachment' }],
    }),
  ).toBe(false);
  // An encrypted message is one opaque leaf: what it holds is unknown until decrypted.
  expect(hasAttachments({ type: 'application/pkcs7-mime', disposition: 'attachment' })).toBe(false);
});

test('a summary carries the envelope, flags, size and security', () => {
  const message: FetchMessageObject = {
    seq: 1,
    uid: 42,
    flags: new Set(['\\Seen', '\\Recent']),
    size: 1234,
    envelope: {
      date: new Date('2026-11-23T10:00:00Z'),
      subject: 'Hello',
      from: [{ name: 'Carol', address: 'carol@example.test' }],
      to: [{ address: 'alice@example.test' }, { name: 'Group only' }],
    },
    bodyStructure: { type: 'application/pkcs7-mime', parameters: { 'smime-type': 'enveloped-data' } },
  };
  expect(summarize(message)).toEqual({
    uid: 42,
    from: 'Carol <carol@example.test>',
    to: ['alice@example.test', 'Group only'],
    subject: 'Hello',
    date: '2026-11-23T10:00:00.000Z',
    flags: ['\\Seen'],
    size: 1234,
    security: 'encrypted',
    hasAttachments: false,
  });
});

test('a message whose headers the server could not read still gets a row that says so', () => {
  const summary = summarize({ seq: 7, uid: 7, internalDate: '2026-11-20T08:00:00Z', envelope: {} });
  expect(summary).toMatchObject({
    uid: 7,
    from: '',
    to: [],
    subject: unreadableSubject,
    date: '2026-11-20T08:00:00.000Z',
    flags: [],
    size: 0,
  });
});

test('a nonsense date falls back to the arrival date, then to the epoch, never to an invalid one', () => {
  expect(
    summarize({
      seq: 1,
      uid: 1,
      envelope: { subject: 's', date: 'not a date' },
      internalDate: '2026-01-02T00:00:00Z',
    }).date,
  ).toBe('2026-01-02T00:00:00.000Z');
  expect(summarize({ seq: 1, uid: 1, envelope: { subject: 's', date: 'not a date' } }).date).toBe(
    '1970-01-01T00:00:00.000Z',
  );
});
