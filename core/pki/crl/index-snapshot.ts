// A verified CRL as bytes, so the desktop can keep it on disk and start without re-reading or
// re-verifying a 49 MB CRL (issue 5: start-up with the on-disk index ≤ 50 ms). The arrays are
// stored as they sit in memory and read back as views, without a copy:
//
//   "SMCRLIX1" | u32 LE header length | JSON header | zero padding to 4 |
//   revokedAt u32 LE × count | lookup buckets u32 LE | keys (count × width) | reasons u8 × count
//
// The snapshot has no checksum of its own; the file layer adds one (CRL_INDEX_INVALID).
import { SealmailError } from '../../errors.js';
import { DerCursor } from './der-reader.js';
import { readScope, type CrlScope } from './crl-extensions.js';
import type { DistributionPointName } from './distribution-point.js';
import { bucketBits, RevokedSerialIndex } from './revoked-index.js';
import type { VerifiedCrl } from './verified-crl.js';

const MAGIC = 'SMCRLIX1';

interface SnapshotHeader {
  count: number;
  width: number;
  /** Leading key octets all keys share (see RevokedSerialIndex). */
  shared: number;
  version: 1 | 2;
  issuer: string;
  thisUpdate: number;
  nextUpdate: number | null;
  crlNumber: string | null;
  baseCrlNumber: string | null;
  scopeDer: string | null;
  freshestCrl: DistributionPointName[];
}

function invalid(what: string): SealmailError {
  return new SealmailError(
    'CRL_INDEX_INVALID',
    `The stored CRL index is damaged (${what}); Sealmail will fetch and verify the CRL again.`,
  );
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function unhex(text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw invalid('bad hex in the header');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

// Uint32Array uses the platform's byte order; every platform Sealmail ships on is little-endian,
// and a big-endian one refuses the file rather than misreading dates.
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export function encodeSnapshot(crl: VerifiedCrl): Uint8Array {
  const { facts, entries } = crl;
  const header: SnapshotHeader = {
    count: entries.count,
    width: entries.width,
    shared: entries.table.shared,
    version: facts.version,
    issuer: hex(facts.issuer),
    thisUpdate: facts.thisUpdate,
    nextUpdate: facts.nextUpdate,
    crlNumber: facts.crlNumber === null ? null : facts.crlNumber.toString(),
    baseCrlNumber: facts.baseCrlNumber === null ? null : facts.baseCrlNumber.toString(),
    scopeDer: facts.scopeDer ? hex(facts.scopeDer) : null,
    freshestCrl: facts.freshestCrl,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const datesAt = align4(MAGIC.length + 4 + json.length);
  const { buckets } = entries.table;
  const bucketsAt = datesAt + entries.count * 4;
  const keysAt = bucketsAt + buckets.length * 4;
  const reasonsAt = keysAt + entries.keys.length;
  const out = new Uint8Array(reasonsAt + entries.count);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  out.set(new Uint8Array(entries.revokedAt.buffer, entries.revokedAt.byteOffset, entries.count * 4), datesAt);
  out.set(new Uint8Array(buckets.buffer, buckets.byteOffset, buckets.length * 4), bucketsAt);
  out.set(entries.keys, keysAt);
  out.set(entries.reasons, reasonsAt);
  return out;
}

/** A Uint32Array view of bytes[at..), or a copy when the offset is not 4-aligned in its buffer. */
function uint32s(bytes: Uint8Array, at: number, count: number): Uint32Array {
  const absolute = bytes.byteOffset + at;
  if (absolute % 4 === 0) return new Uint32Array(bytes.buffer, absolute, count);
  return new Uint32Array(new Uint8Array(bytes.subarray(at, at + count * 4)).buffer);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isNumberOrNull = (v: unknown): v is number | null => v === null || typeof v === 'number';
const isDecimalOrNull = (v: unknown): v is string | null =>
  v === null || (typeof v === 'string' && /^[0-9]+$/.test(v));
const isHexOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNameList = (v: unknown): v is DistributionPointName[] =>
  Array.isArray(v) &&
  v.every(
    (n) =>
      isRecord(n) &&
      Array.isArray(n.uris) &&
      n.uris.every((u) => typeof u === 'string') &&
      Array.isArray(n.otherNames) &&
      n.otherNames.every((o) => typeof o === 'string'),
  );

function asHeader(v: unknown): SnapshotHeader {
  if (
    !isRecord(v) ||
    typeof v.count !== 'number' ||
    typeof v.width !== 'number' ||
    typeof v.shared !== 'number' ||
    (v.version !== 1 && v.version !== 2) ||
    typeof v.issuer !== 'string' ||
    typeof v.thisUpdate !== 'number' ||
    !isNumberOrNull(v.nextUpdate) ||
    !isDecimalOrNull(v.crlNumber) ||
    !isDecimalOrNull(v.baseCrlNumber) ||
    !isHexOrNull(v.scopeDer) ||
    !isNameList(v.freshestCrl)
  ) {
    throw invalid('unexpected header fields');
  }
  return {
    count: v.count,
    width: v.width,
    shared: v.shared,
    version: v.version,
    issuer: v.issuer,
    thisUpdate: v.thisUpdate,
    nextUpdate: v.nextUpdate,
    crlNumber: v.crlNumber,
    baseCrlNumber: v.baseCrlNumber,
    scopeDer: v.scopeDer,
    freshestCrl: v.freshestCrl,
  };
}

function scopeFrom(scopeDer: Uint8Array): CrlScope {
  try {
    return readScope(new DerCursor(scopeDer));
  } catch {
    throw invalid('bad issuingDistributionPoint');
  }
}

export function decodeSnapshot(bytes: Uint8Array): VerifiedCrl {
  if (!littleEndian) throw invalid('stored on a little-endian machine');
  if (
    bytes.length < MAGIC.length + 4 ||
    new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC
  ) {
    throw invalid('not a Sealmail CRL index');
  }
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + jsonLength > bytes.length) throw invalid('truncated header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + jsonLength)),
    );
  } catch {
    throw invalid('unreadable header');
  }
  const header = asHeader(parsed);
  const { count, width, shared } = header;
  if (!Number.isSafeInteger(count) || count < 0 || !Number.isSafeInteger(width) || width < 1) {
    throw invalid('bad entry count or key width');
  }
  if (!Number.isSafeInteger(shared) || shared < 0 || shared > width) throw invalid('bad shared prefix');
  const bucketCount = (1 << bucketBits(count)) + 1;
  const datesAt = align4(MAGIC.length + 4 + jsonLength);
  const bucketsAt = datesAt + count * 4;
  const keysAt = bucketsAt + bucketCount * 4;
  const reasonsAt = keysAt + count * width;
  if (reasonsAt + count !== bytes.length) throw invalid('its length does not match its header');
  const revokedAt = uint32s(bytes, datesAt, count);
  const buckets = uint32s(bytes, bucketsAt, bucketCount);
  if (buckets[bucketCount - 1] !== count) throw invalid('bad lookup table');
  // Plain Uint8Array views (the input may be a Node Buffer, whose slice() would not copy).
  const entries = new RevokedSerialIndex(
    count,
    width,
    new Uint8Array(bytes.buffer, bytes.byteOffset + keysAt, count * width),
    revokedAt,
    new Uint8Array(bytes.buffer, bytes.byteOffset + reasonsAt, count),
    { shared, buckets },
  );
  const scopeDer = header.scopeDer === null ? null : unhex(header.scopeDer);
  const scope = scopeDer ? scopeFrom(scopeDer) : null;
  return {
    facts: {
      version: header.version,
      issuer: unhex(header.issuer),
      thisUpdate: header.thisUpdate,
      nextUpdate: header.nextUpdate,
      crlNumber: header.crlNumber === null ? null : BigInt(header.crlNumber),
      baseCrlNumber: header.baseCrlNumber === null ? null : BigInt(header.baseCrlNumber),
      scope,
      scopeDer,
      freshestCrl: header.freshestCrl,
    },
    entries,
  };
}
