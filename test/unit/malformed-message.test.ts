// The warning shown with a malformed message: what is wrong, in words, and never a crash.
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { malformedMessageProblems } from '../../electron/services/imap/malformed-message.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

const wellFormed =
  'From: Carol <carol@example.test>\r\nTo: bob@example.test\r\nSubject: Hi\r\n' +
  'Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: multipart/mixed;\r\n boundary="b1"\r\n\r\n' +
  '--b1\r\nContent-Type: text/plain\r\n\r\nHello\r\n--b1--\r\n';

test('a well-formed message has no problems, with CRLF or LF line ends', () => {
  expect(malformedMessageProblems(bytes(wellFormed))).toEqual([]);
  expect(malformedMessageProblems(bytes(wellFormed.replaceAll('\r\n', '\n')))).toEqual([]);
});

test('text with no header fields is named for what it lacks', () => {
  expect(malformedMessageProblems(bytes('just some words\r\nand more\r\n'))).toEqual([
    'header line 1 is not a header field (RFC 5322 section 2.2)',
    'header line 2 is not a header field (RFC 5322 section 2.2)',
    'it has no From field (RFC 5322 section 3.6)',
    'it has no Date field (RFC 5322 section 3.6)',
  ]);
  expect(malformedMessageProblems(new Uint8Array())).toEqual(['the message is empty']);
});

test('a multipart cut short, or with no boundary, is reported (RFC 2046 5.1.1)', () => {
  const cut = wellFormed.replace('--b1--\r\n', '');
  expect(malformedMessageProblems(bytes(cut))).toEqual([
    'its multipart body has no closing boundary; it may be cut short (RFC 2046 section 5.1.1)',
  ]);
  const noBoundary = wellFormed.replace(';\r\n boundary="b1"', '');
  expect(malformedMessageProblems(bytes(noBoundary))).toEqual([
    'it is multipart but names no boundary (RFC 2046 section 5.1.1)',
  ]);
  const elsewhere = wellFormed.replace('boundary="b1"', 'boundary=zz');
  expect(malformedMessageProblems(bytes(elsewhere))[0]).toMatch(/boundary "zz" never appears/);
});

test('NUL bytes and a leading continuation line are reported', () => {
  expect(malformedMessageProblems(bytes(` folded\r\n${wellFormed}`))).toContain(
    'the header starts with a continuation line (RFC 5322 section 2.2.3)',
  );
  expect(malformedMessageProblems(bytes(wellFormed.replace('Hello', 'He\0llo')))).toContain(
    'it contains NUL bytes, which RFC 5322 section 2.3 forbids',
  );
});

test('any bytes at all give a list of problems, never an exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2_000 }), (raw) => {
      expect(Array.isArray(malformedMessageProblems(raw))).toBe(true);
    }),
  );
});
