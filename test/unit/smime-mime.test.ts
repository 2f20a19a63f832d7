// The MIME layer under S/MIME: exact bytes in, exact bytes out. What the signature covers and
// what the reader sees must be the same bytes, and the From address must be the addr-spec.
import { describe, expect, it } from 'vitest';
import { bytes, text } from '../support/smime-identities.js';
import { parseMailboxList, sameAddress } from '../../core/mime/addresses.js';
import { decodeBase64, encodeBase64Lines } from '../../core/mime/base64.js';
import { isCanonical, toCanonicalLineEndings } from '../../core/mime/canonical.js';
import { parseContentType } from '../../core/mime/content-type.js';
import { separateMessage } from '../../core/mime/content-entity.js';
import { parseEntity } from '../../core/mime/entity.js';
import { splitMultipart } from '../../core/mime/multipart.js';
import { concatBytes } from '../../core/mime/message-bytes.js';
import { toSevenBit } from '../../core/mime/seven-bit.js';
import { decodeQuotedPrintable } from '../../core/mime/quoted-printable.js';

describe('addresses', () => {
  it.each([
    ['Alice <alice@Example.TEST>', 'alice@example.test'],
    ['"alice@example.test" <mallory@evil.test>', 'mallory@evil.test'],
    ['"Alice <alice@example.test>" <mallory@evil.test>', 'mallory@evil.test'],
    ['alice@example.test (Alice <bob@example.test>)', 'alice@example.test'],
    ['"alice"@example.test', 'alice@example.test'],
    ['Team: alice@example.test;', 'alice@example.test'],
    ['=?utf-8?B?Ym9iQGV4YW1wbGUudGVzdA==?= <mallory@evil.test>', 'mallory@evil.test'],
  ])('%s is %s', (value, address) => {
    expect(parseMailboxList(value)[0]?.address).toBe(address);
  });

  it('lists several mailboxes and skips what is not an address', () => {
    expect(parseMailboxList('a@x.test, "B, Jr." <b@y.test>, nonsense').map((m) => m.address)).toEqual([
      'a@x.test',
      'b@y.test',
    ]);
    expect(sameAddress('Alice@Example.test', 'alice@example.TEST')).toBe(true);
  });
});

describe('multipart bodies', () => {
  const body = bytes(
    'preamble\r\n--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--bb not a delimiter\r\n--b\r\n\r\nsecond\r\n--b--\r\nepilogue\r\n',
  );

  it('splits at delimiter lines only, without the CRLF before them', () => {
    const { parts, closed } = splitMultipart(body, 'b');
    expect(closed).toBe(true);
    expect(parts.map(text)).toEqual([
      'Content-Type: text/plain\r\n\r\nfirst\r\n--bb not a delimiter',
      '\r\nsecond',
    ]);
  });

  it('reports a missing close delimiter and rejects a bad boundary', () => {
    expect(splitMultipart(bytes('--b\r\n\r\nx\r\n'), 'b').closed).toBe(false);
    expect(() => splitMultipart(body, 'bad boundary ')).toThrow(
      expect.objectContaining({ code: 'MALFORMED_MESSAGE' }),
    );
  });

  it('finds a boundary given as RFC 2231 continuations', () => {
    const type = parseContentType(
      'multipart/signed; boundary*0="abc"; boundary*1="def"; protocol="application/pkcs7-signature"',
    );
    expect(type.parameters.boundary).toBe('abcdef');
    expect(type.mediaType).toBe('multipart/signed');
  });
});

describe('canonical form and encodings', () => {
  it('turns bare LF into CRLF and keeps CRLF', () => {
    expect(text(toCanonicalLineEndings(bytes('a\nb\r\nc\n')))).toBe('a\r\nb\r\nc\r\n');
    const canonical = bytes('a\r\nb\r\n');
    expect(toCanonicalLineEndings(canonical)).toBe(canonical); // no copy when nothing changes
    expect(isCanonical(bytes('a\nb'))).toBe(false);
  });

  it('base64 round-trips with 76-character lines and refuses stray characters', () => {
    const data = crypto.getRandomValues(new Uint8Array(1000));
    const encoded = encodeBase64Lines(data);
    expect(
      text(encoded)
        .split('\r\n')
        .every((line) => line.length <= 76),
    ).toBe(true);
    expect(decodeBase64(encoded)).toEqual(data);
    expect(() => decodeBase64(bytes('QUJD!'))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_MESSAGE' }),
    );
    expect(() => decodeBase64(bytes('QQ==QQ=='))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_MESSAGE' }),
    );
  });

  it('base64 decodes the same wherever line breaks and spaces fall, and without padding', () => {
    for (let length = 0; length < 200; length++) {
      const data = crypto.getRandomValues(new Uint8Array(length));
      const plain = Buffer.from(data).toString('base64');
      // A break or space after every 1st, 2nd, ... 7th character: inside groups and between them.
      for (let every = 1; every <= 7; every++) {
        const spaced = plain.replace(new RegExp(`(.{${every}})`, 'g'), every % 2 ? '$1\r\n' : '$1 ');
        expect(decodeBase64(bytes(spaced))).toEqual(data);
      }
      expect(decodeBase64(bytes(plain.replace(/=/g, '')))).toEqual(data);
    }
    expect(() => decodeBase64(bytes('QUJDRA==RA=='))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_MESSAGE' }),
    );
  });

  it('decodes quoted-printable with soft line breaks', () => {
    expect(text(decodeQuotedPrintable(bytes('caf=C3=A9 =\r\nau lait=3D')))).toBe('café au lait=');
  });
});

describe('the content entity that seal signs', () => {
  it('keeps message fields aside and signs only the Content-* fields and the body', () => {
    const message = parseEntity(
      bytes(
        'From: a@x.test\nSubject: Hi\nMIME-Version: 1.0\nContent-Type: text/plain\n\nline one\nline two\n',
      ),
    );
    const { messageFields, contentEntity } = separateMessage(message);
    expect(messageFields.map(text)).toEqual(['From: a@x.test\n', 'Subject: Hi\n']);
    expect(text(contentEntity)).toBe('Content-Type: text/plain\r\n\r\nline one\r\nline two\r\n');
  });

  it('sends an 8-bit body as base64 so that transport cannot change signed bytes', () => {
    const message = parseEntity(
      bytes('From: a@x.test\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ncafé\r\n'),
    );
    const entity = text(separateMessage(message).contentEntity);
    expect(entity).toContain('Content-Transfer-Encoding: base64\r\n\r\nY2Fmw6kNCg==');
  });

  it('base64-encodes 8-bit and binary parts inside a multipart, leaving 7-bit parts as they are', () => {
    const binary = new Uint8Array([0x00, 0x0a, 0xff, 0x0d, 0x0a, 0x80]);
    const raw = concatBytes([
      bytes(
        'From: a@x.test\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nplain ascii\n' +
          '--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\ncafé\n' +
          '--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n',
      ),
      binary,
      bytes('\n--b--\n'),
    ]);
    const entity = separateMessage(parseEntity(raw)).contentEntity;
    expect(isCanonical(entity)).toBe(true);
    const parsed = parseEntity(entity);
    const parts = splitMultipart(parsed.body, 'b').parts.map((part) => parseEntity(part));
    expect(text(parts[0].raw)).toBe('Content-Type: text/plain\r\n\r\nplain ascii');
    expect(parts[1].transferEncoding).toBe('base64');
    expect(text(decodeBase64(parts[1].body))).toBe('café'); // the line break belongs to the delimiter
    expect(parts[2].transferEncoding).toBe('base64');
    expect(decodeBase64(parts[2].body)).toEqual(binary);
  });

  it('keeps an all-7-bit entity byte for byte', () => {
    const raw = bytes('Content-Type: multipart/mixed; boundary="b"\r\n\npre\r\n--b\r\n\r\nx\r\n--b--\r\n');
    expect(toSevenBit(raw)).toBe(raw);
  });

  it('refuses a header line without a field name', () => {
    expect(() => parseEntity(bytes('this is not a header\r\n\r\nbody'))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_MESSAGE' }),
    );
  });
});
