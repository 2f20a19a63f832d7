// A strict, allocation-free DER reader over one Uint8Array. A CRL of a million entries is a
// million small SEQUENCEs; building an asn1js object for each (as pkijs does) costs 14 s and
// 1.2 GB for 100,000 entries (issue 5), so the CRL code walks the bytes with this cursor instead.
// `next()` moves to the following TLV inside the current window and leaves its tag and content
// range in plain number fields, so the hot loop allocates nothing.
import { SealmailError } from '../../errors.js';

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export function malformed(what: string): SealmailError {
  return new SealmailError(
    'MALFORMED_CRL',
    `The CRL is not valid DER (${what}); fetch it again from the issuer's distribution point.`,
  );
}

export class DerCursor {
  /** Tag byte of the element `next()` last read (single-byte tags only; see below). */
  tag = 0;
  /** Offset of that element's first header byte. */
  start = 0;
  /** Offset of its content. */
  contentStart = 0;
  /** Offset just past its content. */
  end = 0;
  private pos: number;
  private limit: number;

  constructor(
    readonly bytes: Uint8Array,
    from = 0,
    to = bytes.length,
    private readonly fail: (what: string) => SealmailError = malformed,
  ) {
    this.pos = from;
    this.limit = to;
  }

  /** Moves the window to bytes[from..to), so one cursor serves every entry of a large list. */
  reset(from: number, to: number): void {
    this.pos = from;
    this.limit = to;
  }

  get done(): boolean {
    return this.pos >= this.limit;
  }

  /** The offset where the next element would start. */
  get position(): number {
    return this.pos;
  }

  /** Reads the next TLV header in the window and skips over its content. */
  next(): void {
    const b = this.bytes;
    let p = this.pos;
    if (p + 2 > this.limit) throw this.fail('truncated header');
    this.start = p;
    const tag = b[p++]!;
    // Every field of a CertificateList and of the certificates read here uses a low tag number;
    // multi-byte tags (X.690 §8.1.2.4) cannot appear, so they are rejected rather than decoded.
    if ((tag & 0x1f) === 0x1f) throw this.fail('unsupported high tag number');
    let len = b[p++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      // 0x80 is BER's indefinite length, forbidden in DER (X.690 §10.1); more than four length
      // octets would describe more than 4 GiB, beyond any CRL this reader accepts.
      if (n === 0 || n > 4) throw this.fail('indefinite or oversized length');
      if (p + n > this.limit) throw this.fail('truncated length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
      // DER uses the shortest length form (X.690 §10.1).
      if (len < 0x80 || (n > 1 && b[p - n] === 0)) throw this.fail('non-minimal length');
    }
    if (len > this.limit - p) throw this.fail('truncated content');
    this.tag = tag;
    this.contentStart = p;
    this.end = p + len;
    this.pos = p + len;
  }

  /** Reads the next element and insists on its tag. */
  expect(tag: number, what: string): void {
    this.next();
    if (this.tag !== tag) throw this.fail(`expected ${what}`);
  }

  /** Reads the next element when its tag is `tag`; otherwise leaves the cursor where it was. */
  optional(tag: number): boolean {
    if (this.done || this.bytes[this.pos] !== tag) return false;
    this.next();
    return true;
  }

  /** A cursor over the content of the element last read. */
  inside(): DerCursor {
    return new DerCursor(this.bytes, this.contentStart, this.end, this.fail);
  }

  /** The element last read, header included. */
  element(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }

  content(): Uint8Array {
    return this.bytes.subarray(this.contentStart, this.end);
  }

  /** Rejects trailing bytes inside the window. */
  finish(what: string): void {
    if (this.pos !== this.limit) throw this.fail(`unexpected data after ${what}`);
  }
}

/** Dotted form of an OID's content octets, for messages and lookups. */
export function oidText(content: Uint8Array): string {
  if (content.length === 0) return '';
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < content.length; i++) {
    value = value * 128 + (content[i]! & 0x7f);
    if (!(content[i]! & 0x80)) {
      if (parts.length === 0)
        parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A small non-negative INTEGER (versions, reason codes, salt lengths). */
export function smallInteger(cursor: DerCursor, what: string): number {
  const c = cursor.content();
  if (c.length === 0 || c.length > 4 || c[0]! & 0x80) throw malformed(`${what} out of range`);
  if (c.length > 1 && c[0] === 0 && !(c[1]! & 0x80)) throw malformed(`${what} not minimal`);
  let v = 0;
  for (const byte of c) v = v * 256 + byte;
  return v;
}

/** An INTEGER of any size as a bigint (CRL numbers reach 20 octets, RFC 5280 §5.2.3). */
export function bigInteger(content: Uint8Array, what: string): bigint {
  checkMinimalInteger(content, 0, content.length, what);
  let v = 0n;
  for (const byte of content) v = (v << 8n) | BigInt(byte);
  if (content[0]! & 0x80) v -= 1n << BigInt(content.length * 8);
  return v;
}

/**
 * DER INTEGERs are minimal two's complement (X.690 §8.3.2): empty content, or a first octet of
 * 0x00 followed by a clear high bit (or 0xFF followed by a set one), is invalid. OpenSSL 3's
 * c2i_ibuf rejects exactly these ("illegal zero content", "illegal padding"), so a CRL with
 * such a serial fails to load in both.
 */
export function checkMinimalInteger(bytes: Uint8Array, from: number, to: number, what: string): void {
  const len = to - from;
  if (len === 0) throw malformed(`empty ${what}`);
  if (len > 1) {
    const a = bytes[from]!;
    const b = bytes[from + 1]! & 0x80;
    if ((a === 0 && b === 0) || (a === 0xff && b !== 0)) throw malformed(`${what} with illegal padding`);
  }
}
