// Streams the revokedCertificates list of a TBSCertList (RFC 5280 §5.1.2.6) into a
// RevokedSerialIndex. Two passes over the bytes: the first counts the entries and finds the
// widest serial, so the second can write every key straight into one preallocated array. Two
// reused cursors and no per-entry object keep a 1,000,000-entry CRL well under OpenSSL's memory.
import { SealmailError } from '../../errors.js';
import { checkMinimalInteger, DerCursor, malformed, TAG } from './der-reader.js';
import { readTime } from './der-time.js';
import { NO_REASON, RevokedSerialIndex } from './revoked-index.js';
import { writeKey } from './serial-key.js';

// Entry extension OIDs under id-ce (2.5.29), as their last content octet after 55 1D.
const REASON_CODE = 0x15; // §5.3.1
const INVALIDITY_DATE = 0x18; // §5.3.2
const CERTIFICATE_ISSUER = 0x1d; // §5.3.3
const ENUMERATED = 0x0a;

function isIdCe(bytes: Uint8Array, from: number, to: number, last: number): boolean {
  return to - from === 3 && bytes[from] === 0x55 && bytes[from + 1] === 0x1d && bytes[from + 2] === last;
}

/** Indexes the content of the revokedCertificates SEQUENCE, bytes[from..to). */
export function indexRevokedEntries(bytes: Uint8Array, from: number, to: number): RevokedSerialIndex {
  const list = new DerCursor(bytes, from, to);
  const entry = new DerCursor(bytes, 0, 0);
  let count = 0;
  let width = 1;
  while (!list.done) {
    list.expect(TAG.SEQUENCE, 'revoked certificate entry');
    entry.reset(list.contentStart, list.end);
    entry.expect(TAG.INTEGER, 'userCertificate serial');
    const len = entry.end - entry.contentStart;
    if (len > width) width = len;
    count++;
  }
  if (count === 0) return RevokedSerialIndex.empty();

  const keys = new Uint8Array(count * width);
  const revokedAt = new Uint32Array(count);
  const reasons = new Uint8Array(count);
  const extensions = new DerCursor(bytes, 0, 0);
  const extension = new DerCursor(bytes, 0, 0);
  let sorted = true;
  list.reset(from, to);
  for (let i = 0; i < count; i++) {
    list.next();
    entry.reset(list.contentStart, list.end);
    entry.next();
    checkMinimalInteger(bytes, entry.contentStart, entry.end, 'serial number');
    writeKey(bytes, entry.contentStart, entry.end, keys, i * width, width);
    if (sorted && i > 0 && compareAdjacentKeys(keys, i, width) < 0) sorted = false;
    entry.next();
    const revoked = readTime(bytes, entry.tag, entry.contentStart, entry.end, 'revocationDate');
    // Stored as unsigned 32-bit seconds (half the size of a double, a million times over): no
    // certificate was revoked before 1970, and none will be after 2106.
    if (revoked < 0 || revoked > 0xffffffff) throw malformed('revocationDate outside 1970–2106');
    revokedAt[i] = revoked;
    reasons[i] = NO_REASON;
    if (!entry.done) {
      entry.expect(TAG.SEQUENCE, 'crlEntryExtensions');
      extensions.reset(entry.contentStart, entry.end);
      while (!extensions.done) {
        extensions.expect(TAG.SEQUENCE, 'entry extension');
        extension.reset(extensions.contentStart, extensions.end);
        extension.expect(TAG.OID, 'entry extension id');
        const oidFrom = extension.contentStart;
        const oidTo = extension.end;
        let critical = false;
        if (extension.optional(TAG.BOOLEAN)) critical = bytes[extension.contentStart] !== 0;
        extension.expect(TAG.OCTET_STRING, 'entry extension value');
        extension.finish('entry extension');
        if (isIdCe(bytes, oidFrom, oidTo, REASON_CODE)) {
          reasons[i] = readReason(bytes, extension.contentStart, extension.end);
        } else if (isIdCe(bytes, oidFrom, oidTo, CERTIFICATE_ISSUER)) {
          // Only an indirect CRL carries certificateIssuer; entries after it would belong to
          // another CA (§5.3.3), which this index has no column for.
          throw new SealmailError(
            'CRL_UNSUPPORTED',
            'The CRL is an indirect CRL (it lists certificates of other CAs); Sealmail accepts only CRLs the issuing CA signed itself.',
          );
        } else if (critical && !isIdCe(bytes, oidFrom, oidTo, INVALIDITY_DATE)) {
          // §5.3: a CRL with a critical entry extension we cannot process MUST NOT be used.
          throw new SealmailError(
            'CRL_UNSUPPORTED',
            'A CRL entry has a critical extension Sealmail does not know, so the CRL cannot be used (RFC 5280 §5.3).',
          );
        }
      }
      entry.finish('revoked certificate entry');
    }
  }
  const index = new RevokedSerialIndex(count, width, keys, revokedAt, reasons);
  return sorted ? index : sortIndex(index);
}

/** Key i minus key i-1, without making a view of either (this runs once per entry). */
function compareAdjacentKeys(keys: Uint8Array, i: number, width: number): number {
  const b = i * width;
  const a = b - width;
  for (let k = 0; k < width; k++) {
    const d = keys[b + k]! - keys[a + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** The reasonCode extnValue: DER ENUMERATED, one octet for every defined reason. */
function readReason(bytes: Uint8Array, from: number, to: number): number {
  if (to - from !== 3 || bytes[from] !== ENUMERATED || bytes[from + 1] !== 1) throw malformed('reasonCode');
  const reason = bytes[from + 2]!;
  if (reason > 10 || reason === 7) throw malformed(`reasonCode ${reason} is not a CRLReason`);
  return reason;
}

/**
 * RFC 5280 does not require CAs to list entries in serial order (OpenSSL does sort them), so an
 * unsorted CRL is sorted once here, through a permutation of positions rather than objects.
 */
function sortIndex(index: RevokedSerialIndex): RevokedSerialIndex {
  const { count, width, keys } = index;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => {
    const base = b * width;
    for (let k = 0; k < width; k++) {
      const d = keys[a * width + k]! - keys[base + k]!;
      if (d !== 0) return d;
    }
    return a - b;
  });
  const sortedKeys = new Uint8Array(keys.length);
  const revokedAt = new Uint32Array(count);
  const reasons = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const from = order[i]!;
    sortedKeys.set(keys.subarray(from * width, (from + 1) * width), i * width);
    revokedAt[i] = index.revokedAt[from]!;
    reasons[i] = index.reasons[from]!;
  }
  return new RevokedSerialIndex(count, width, sortedKeys, revokedAt, reasons);
}
