// DistributionPointName (RFC 5280 §4.2.1.13), shared by a certificate's cRLDistributionPoints
// and a CRL's issuingDistributionPoint (§5.2.5). Only the fullName's URIs are kept: they are
// what CAs publish and what the scope check of §6.3.3 (b)(2)(i) compares.
import type { DerCursor } from './der-reader.js';

const FULL_NAME = 0xa0; // [0] IMPLICIT GeneralNames
const RELATIVE_NAME = 0xa1; // [1] IMPLICIT RelativeDistinguishedName
const URI = 0x86; // GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String

export interface DistributionPointName {
  uris: string[];
  /** Names other than URIs (directory names, relative names), as hex DER, compared byte-wise. */
  otherNames: string[];
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Reads the content of a `distributionPoint [0]` field: one DistributionPointName CHOICE. */
export function readDistributionPointName(inside: DerCursor): DistributionPointName {
  const name: DistributionPointName = { uris: [], otherNames: [] };
  inside.next();
  if (inside.tag === FULL_NAME) {
    const names = inside.inside();
    while (!names.done) {
      names.next();
      if (names.tag === URI) name.uris.push(String.fromCharCode(...names.content()));
      else name.otherNames.push(hex(names.element()));
    }
  } else if (inside.tag === RELATIVE_NAME) {
    name.otherNames.push(hex(inside.element()));
  } else {
    name.otherNames.push(hex(inside.element()));
  }
  return name;
}

/** True when the two names share at least one name (§6.3.3 (b)(2)(i)). */
export function namesOverlap(a: DistributionPointName, b: DistributionPointName): boolean {
  return (
    a.uris.some((uri) => b.uris.includes(uri)) || a.otherNames.some((other) => b.otherNames.includes(other))
  );
}
