// What the reader makes of the raw bytes of a message (renderer/src/mail/read-message.ts): the
// parts a user sees, and a damaged message kept whole with the reason it could not be read.
import { expect, test } from 'vitest';
import { readMessage } from '../../renderer/src/mail/read-message.js';

const bytes = (text: string) => new TextEncoder().encode(text);

test('a plain message shows its sender, recipients, subject and text', async () => {
  const message = await readMessage(
    bytes(
      'From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nCc: carol@example.test\r\n' +
        'Subject: =?UTF-8?Q?Caf=C3=A9_on_Friday?=\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n\r\nSee you at noon.\r\n',
    ),
  );
  expect(message).toMatchObject({
    kind: 'parsed',
    from: 'Bob <bob@example.test>',
    to: ['alice@example.test'],
    cc: ['carol@example.test'],
    subject: 'Café on Friday',
    html: null,
    attachments: [],
  });
  expect(message.kind === 'parsed' && message.text).toContain('See you at noon.');
});

test('an HTML message keeps its HTML for the sandboxed frame and lists its attachments', async () => {
  const message = await readMessage(
    bytes(
      'From: bob@example.test\r\nTo: alice@example.test\r\nSubject: Figures\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
        '--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Revenue <b>grew</b>.</p>\r\n' +
        '--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="q3.pdf"\r\n' +
        'Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n',
    ),
  );
  expect(message.kind).toBe('parsed');
  if (message.kind !== 'parsed') return;
  expect(message.html).toContain('<p>Revenue <b>grew</b>.</p>');
  expect(message.attachments).toMatchObject([{ filename: 'q3.pdf', mimeType: 'application/pdf', size: 9 }]);
  // The bytes, for "Save" (files.save): the decoded PDF header, not the base64 text.
  expect(new TextDecoder().decode(message.attachments[0]!.content)).toBe('%PDF-1.4\n');
});

test('a header line that is neither a field nor a continuation: shown raw, with the reason', async () => {
  const raw = 'From: bob@example.test\r\nSubject: Broken\r\nThis line is not a header\r\n\r\nThe body.\r\n';
  const message = await readMessage(bytes(raw));
  expect(message.kind).toBe('raw');
  if (message.kind !== 'raw') return;
  expect(message.raw).toBe(raw);
  expect(message.reason).toContain('RFC 5322');
});

test('bytes with no header section at all are shown raw, invalid UTF-8 replaced, never dropped', async () => {
  const message = await readMessage(Uint8Array.from([0x0d, 0x0a, 0x68, 0x69, 0xff, 0x0d, 0x0a]));
  expect(message).toEqual({
    kind: 'raw',
    raw: '\r\nhi\uFFFD\r\n',
    reason: 'The message has no header section.',
  });
});

test("an HTML message's own images (cid:, RFC 2392) become data: URLs; other parts do not", async () => {
  const message = await readMessage(
    bytes(
      'From: bob@example.test\r\nSubject: Logo\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/related; boundary="r1"\r\n\r\n' +
        '--r1\r\nContent-Type: text/html\r\n\r\n<img src="cid:logo@example.test">\r\n' +
        '--r1\r\nContent-Type: image/png\r\nContent-ID: <logo@example.test>\r\n' +
        'Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n' +
        '--r1\r\nContent-Type: text/html\r\nContent-ID: <page@example.test>\r\n\r\n<script>x</script>\r\n' +
        '--r1--\r\n',
    ),
  );
  expect(message.kind).toBe('parsed');
  if (message.kind !== 'parsed') return;
  expect(message.inlineImages).toEqual({ 'logo@example.test': 'data:image/png;base64,iVBORw0KGgo=' });
  expect(message.attachments).toEqual([]);
});
