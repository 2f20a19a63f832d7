// The CRL extensions Sealmail acts on (RFC 5280 §5.2): cRLNumber, deltaCRLIndicator,
// issuingDistributionPoint and freshestCRL. Any other critical extension makes the CRL unusable
// (§5.2: "If a CRL contains a critical extension that the application cannot process, then the
// application MUST NOT use that CRL to determine the status of certificates").
import { SealmailError } from '../../errors.js';
import { bigInteger, bytesEqual, type DerCursor, malformed, oidText, TAG } from './der-reader.js';
import { readDistributionPointName, type DistributionPointName } from './distribution-point.js';

/** issuingDistributionPoint (§5.2.5): which certificates this CRL speaks for. */
export interface CrlScope {
  distributionPoint: DistributionPointName | null;
  onlyUserCerts: boolean;
  onlyCaCerts: boolean;
  /** ReasonFlags bits when the CRL covers only some reasons (§5.2.5), else null. */
  onlySomeReasons: Uint8Array | null;
  indirect: boolean;
  onlyAttributeCerts: boolean;
}

export interface CrlExtensions {
  crlNumber: bigint | null;
  /** BaseCRLNumber of a delta CRL (§5.2.4), null for a complete CRL. */
  baseCrlNumber: bigint | null;
  scope: CrlScope | null;
  /** The exact extnValue of issuingDistributionPoint, compared between a base and its delta. */
  scopeDer: Uint8Array | null;
  /** Where the delta CRLs for this CRL are published (§5.2.6). */
  freshestCrl: DistributionPointName[];
}

const id = (last: number) => Uint8Array.of(0x55, 0x1d, last);
const CRL_NUMBER = id(0x14);
const DELTA_CRL_INDICATOR = id(0x1b);
const ISSUING_DISTRIBUTION_POINT = id(0x1c);
const FRESHEST_CRL = id(0x2e);
const AUTHORITY_KEY_IDENTIFIER = id(0x23);
const ISSUER_ALT_NAME = id(0x12);

/** Reads the Extensions SEQUENCE inside crlExtensions [0]. */
export function readCrlExtensions(outer: DerCursor): CrlExtensions {
  const result: CrlExtensions = {
    crlNumber: null,
    baseCrlNumber: null,
    scope: null,
    scopeDer: null,
    freshestCrl: [],
  };
  outer.expect(TAG.SEQUENCE, 'crlExtensions');
  outer.finish('crlExtensions');
  const list = outer.inside();
  const seen = new Set<string>();
  while (!list.done) {
    list.expect(TAG.SEQUENCE, 'CRL extension');
    const ext = list.inside();
    ext.expect(TAG.OID, 'CRL extension id');
    const oid = ext.content();
    const name = oidText(oid);
    // §4.2: "A certificate MUST NOT include more than one instance of a particular extension";
    // a CRL with two cRLNumbers could be read two ways, so it is refused.
    if (seen.has(name)) throw malformed(`extension ${name} appears twice`);
    seen.add(name);
    let critical = false;
    if (ext.optional(TAG.BOOLEAN)) critical = ext.content()[0] !== 0;
    ext.expect(TAG.OCTET_STRING, 'CRL extension value');
    ext.finish('CRL extension');
    const value = ext.inside();
    if (bytesEqual(oid, CRL_NUMBER)) {
      result.crlNumber = readNumber(value, 'cRLNumber');
    } else if (bytesEqual(oid, DELTA_CRL_INDICATOR)) {
      result.baseCrlNumber = readNumber(value, 'BaseCRLNumber');
    } else if (bytesEqual(oid, ISSUING_DISTRIBUTION_POINT)) {
      result.scopeDer = ext.content();
      result.scope = readScope(value);
    } else if (bytesEqual(oid, FRESHEST_CRL)) {
      value.expect(TAG.SEQUENCE, 'FreshestCRL');
      const points = value.inside();
      while (!points.done) {
        points.expect(TAG.SEQUENCE, 'DistributionPoint');
        const point = points.inside();
        if (point.optional(0xa0)) result.freshestCrl.push(readDistributionPointName(point.inside()));
      }
    } else if (critical && !bytesEqual(oid, AUTHORITY_KEY_IDENTIFIER) && !bytesEqual(oid, ISSUER_ALT_NAME)) {
      throw new SealmailError(
        'CRL_UNSUPPORTED',
        `The CRL has a critical extension ${name} that Sealmail does not know, so it cannot be used (RFC 5280 §5.2).`,
      );
    }
  }
  return result;
}

function readNumber(value: DerCursor, what: string): bigint {
  value.expect(TAG.INTEGER, what);
  value.finish(what);
  const n = bigInteger(value.content(), what);
  // §5.2.3: a non-negative integer of at most 20 octets.
  if (n < 0n || value.content().length > 21) throw malformed(`${what} out of range`);
  return n;
}

function readBoolean(cursor: DerCursor, what: string): boolean {
  const c = cursor.content();
  // DER encodes TRUE as FF (X.690 §11.1), and a DEFAULT FALSE field is left out rather than
  // encoded as FALSE (§11.5).
  if (c.length !== 1 || c[0] !== 0xff) throw malformed(`${what} is not a DER TRUE`);
  return true;
}

/** IssuingDistributionPoint, IMPLICIT tags (§5.2.5); the cursor is over the extnValue. */
export function readScope(value: DerCursor): CrlScope {
  value.expect(TAG.SEQUENCE, 'IssuingDistributionPoint');
  value.finish('IssuingDistributionPoint');
  const idp = value.inside();
  const scope: CrlScope = {
    distributionPoint: null,
    onlyUserCerts: false,
    onlyCaCerts: false,
    onlySomeReasons: null,
    indirect: false,
    onlyAttributeCerts: false,
  };
  if (idp.optional(0xa0)) scope.distributionPoint = readDistributionPointName(idp.inside());
  if (idp.optional(0x81)) scope.onlyUserCerts = readBoolean(idp, 'onlyContainsUserCerts');
  if (idp.optional(0x82)) scope.onlyCaCerts = readBoolean(idp, 'onlyContainsCACerts');
  if (idp.optional(0x83)) scope.onlySomeReasons = new Uint8Array(idp.content());
  if (idp.optional(0x84)) scope.indirect = readBoolean(idp, 'indirectCRL');
  if (idp.optional(0x85)) scope.onlyAttributeCerts = readBoolean(idp, 'onlyContainsAttributeCerts');
  idp.finish('IssuingDistributionPoint');
  // §5.2.5: at most one of the three "only" flags may be set.
  if (Number(scope.onlyUserCerts) + Number(scope.onlyCaCerts) + Number(scope.onlyAttributeCerts) > 1) {
    throw malformed('issuingDistributionPoint sets more than one "only" flag');
  }
  return scope;
}
