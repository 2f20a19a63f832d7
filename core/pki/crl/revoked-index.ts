// The revoked serials of one CRL as three flat typed arrays: sorted fixed-width keys (see
// serial-key.ts), revocation dates and reason codes. A million 16-octet serials take about 25 MB and
// no object per entry, and a lookup is a bucket probe and a short binary search with no
// allocation (issue 5).
import { compareKeyAt, writeKey } from './serial-key.js';

/** CRLReason (RFC 5280 §5.3.1); 7 is unused. */
export const reasonNames: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** Stored when an entry has no reasonCode extension (the reason is then unstated, not 0). */
export const NO_REASON = 255;
/** removeFromCRL: only meaningful in a delta CRL, where it lifts a certificateHold (§5.3.1). */
export const REMOVE_FROM_CRL = 8;

export interface RevokedEntry {
  /** Seconds since the epoch. */
  revokedAt: number;
  /** CRLReason code, or null when the entry states none. */
  reason: number | null;
}

export function reasonName(reason: number | null): string | null {
  if (reason === null) return null;
  return reasonNames[reason] ?? `reason${reason}`;
}

/** The top `bits` bits of the three key octets at `offset` (0 past the end of the key). */
function bucketOf(keys: Uint8Array, at: number, offset: number, width: number, shift: number): number {
  const a = offset < width ? keys[at + offset]! : 0;
  const b = offset + 1 < width ? keys[at + offset + 1]! : 0;
  const c = offset + 2 < width ? keys[at + offset + 2]! : 0;
  return ((a << 16) | (b << 8) | c) >>> shift;
}

/** Bucket bits for a count: about one bucket per entry, between 2^8 and 2^20. */
export function bucketBits(count: number): number {
  return Math.min(20, Math.max(8, Math.ceil(Math.log2(count + 1))));
}

/** What a lookup needs besides the keys; derived from them, and stored with them on disk. */
export interface LookupTable {
  shared: number;
  buckets: Uint32Array;
}

export class RevokedSerialIndex {
  private readonly probe: Uint8Array;
  /** How many leading octets every key shares (so the bucket octets below discriminate). */
  private readonly shared: number;
  /**
   * buckets[b] is the first position whose leading bits after the shared prefix are ≥ b, with
   * about as many buckets as entries (up to 2^20): a lookup binary-searches one small bucket
   * instead of the whole array, so it touches one or two keys instead of twenty scattered ones.
   */
  private readonly buckets: Uint32Array;
  private readonly shift: number;

  constructor(
    readonly count: number,
    /** Width of every key: the longest serial content in the CRL, at least 1. */
    readonly width: number,
    /** count × width bytes, ascending. */
    readonly keys: Uint8Array,
    /** Seconds since the epoch. */
    readonly revokedAt: Uint32Array,
    readonly reasons: Uint8Array,
    /** A table read back from disk (index-snapshot.ts), so start-up need not rebuild it. */
    table?: LookupTable,
  ) {
    this.probe = new Uint8Array(width);
    const bits = bucketBits(count);
    this.shift = 24 - bits;
    if (table) {
      this.shared = table.shared;
      this.buckets = table.buckets;
      return;
    }
    // Keys are sorted, so the prefix the first and last share is shared by all.
    let shared = 0;
    const last = (count - 1) * width;
    while (count > 0 && shared < width && keys[shared] === keys[last + shared]) shared++;
    this.shared = shared;
    const size = 1 << bits;
    this.buckets = new Uint32Array(size + 1);
    let next = 0;
    for (let i = 0; i < count; i++) {
      const b = bucketOf(keys, i * width, shared, width, this.shift);
      while (next <= b) this.buckets[next++] = i;
    }
    while (next <= size) this.buckets[next++] = count;
  }

  get table(): LookupTable {
    return { shared: this.shared, buckets: this.buckets };
  }

  static empty(): RevokedSerialIndex {
    return new RevokedSerialIndex(0, 1, new Uint8Array(0), new Uint32Array(0), new Uint8Array(0));
  }

  /**
   * Position of the serial (DER INTEGER content octets) in the index, or -1. A serial longer
   * than the widest key cannot be listed: minimal DER gives every value exactly one encoding.
   */
  indexOf(serial: Uint8Array): number {
    const width = this.width;
    if (serial.length === 0 || serial.length > width || this.count === 0) return -1;
    const probe = this.probe;
    const keys = this.keys;
    writeKey(serial, 0, serial.length, probe, 0, width);
    for (let k = 0; k < this.shared; k++) if (probe[k] !== keys[k]) return -1;
    const b = bucketOf(probe, 0, this.shared, width, this.shift);
    let lo = this.buckets[b]!;
    let hi = this.buckets[b + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = compareKeyAt(keys, mid, probe, width);
      if (d < 0) lo = mid + 1;
      else if (d > 0) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  find(serial: Uint8Array): RevokedEntry | null {
    const i = this.indexOf(serial);
    if (i < 0) return null;
    const reason = this.reasons[i]!;
    return { revokedAt: this.revokedAt[i]!, reason: reason === NO_REASON ? null : reason };
  }

  /** The serial at position i as DER INTEGER content (minimal), for listing and tests. */
  serialAt(i: number): Uint8Array {
    // A copy (the constructor copies; slice() on a Node Buffer would be a view of the index).
    const key = new Uint8Array(this.keys.subarray(i * this.width, (i + 1) * this.width));
    key[0] = key[0]! ^ 0x80;
    // Undo the sign extension: drop leading 00 (or FF) octets that the next octet's high bit
    // repeats, leaving the minimal two's-complement form.
    let start = 0;
    while (
      start < key.length - 1 &&
      ((key[start] === 0x00 && !(key[start + 1]! & 0x80)) || (key[start] === 0xff && key[start + 1]! & 0x80))
    ) {
      start++;
    }
    return key.subarray(start);
  }
}
