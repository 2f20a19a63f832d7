// The answer a complete CRL and its optional delta give for one serial at one moment: delta
// fitting (RFC 5280 §5.2.4), scope (§5.2.5, §6.3.3 (b)) and freshness (§5.1.2.5, seed 003).
import { SealmailError } from '../../errors.js';
import type { CertificateFacts } from './certificate-facts.js';
import { bytesEqual } from './der-reader.js';
import { isoTime } from './der-time.js';
import { namesOverlap } from './distribution-point.js';
import { REMOVE_FROM_CRL, type RevokedEntry } from './revoked-index.js';
import type { VerifiedCrl } from './verified-crl.js';

/** What to do with a CRL past its nextUpdate: warn and use it, or refuse it (fail closed). */
export type StaleCrlPolicy = 'warn' | 'fail-closed';

/** A complete CRL and, when the CA publishes them, the newest delta CRL for it. */
export interface CrlSet {
  complete: VerifiedCrl;
  delta: VerifiedCrl | null;
}

export interface CrlAnswer {
  revoked: boolean;
  /** CRLReason code, null when unstated or not revoked. */
  reason: number | null;
  /** Seconds since the epoch, null when not revoked. */
  revokedAt: number | null;
  /** Of the freshest CRL used (the delta when there is one). */
  thisUpdate: number;
  nextUpdate: number | null;
  /** Past nextUpdate at the moment asked about (only ever true under the 'warn' policy). */
  stale: boolean;
  /** False when the CRL lists only some reasons (§5.2.5 onlySomeReasons): "not listed" is then not "good". */
  coversAllReasons: boolean;
}

function deltaMismatch(why: string): SealmailError {
  return new SealmailError(
    'CRL_DELTA_MISMATCH',
    `The delta CRL does not belong to this complete CRL (${why}); fetch both again from the CA.`,
  );
}

/** §5.2.4: a delta CRL applies only to a complete CRL of the same issuer and scope that is at least as new as its base. */
export function checkDeltaFits(set: CrlSet): void {
  const { complete, delta } = set;
  if (!delta) return;
  const c = complete.facts;
  const d = delta.facts;
  if (c.baseCrlNumber !== null) throw deltaMismatch('the "complete" CRL is itself a delta CRL');
  if (d.baseCrlNumber === null) throw deltaMismatch('the "delta" CRL has no deltaCRLIndicator');
  if (!bytesEqual(c.issuer, d.issuer)) throw deltaMismatch('they have different issuers');
  const sameScope =
    c.scopeDer === null ? d.scopeDer === null : d.scopeDer !== null && bytesEqual(c.scopeDer, d.scopeDer);
  if (!sameScope) throw deltaMismatch('they cover different scopes (issuingDistributionPoint)');
  if (c.crlNumber === null || d.crlNumber === null) throw deltaMismatch('a cRLNumber is missing');
  if (c.crlNumber < d.baseCrlNumber) {
    throw deltaMismatch(
      `the delta needs complete CRL number ${d.baseCrlNumber} or later, this one is ${c.crlNumber}`,
    );
  }
  if (d.crlNumber <= c.crlNumber) throw deltaMismatch('the delta is not newer than the complete CRL');
}

/**
 * §6.3.3 (b): the CRL must speak for this kind of certificate and, when it is partitioned by
 * distribution point, for the point named in the certificate.
 */
export function checkCrlScope(crl: VerifiedCrl, certificate: CertificateFacts): void {
  const scope = crl.facts.scope;
  if (!scope) return;
  const mismatch = (why: string) =>
    new SealmailError(
      'CRL_SCOPE_MISMATCH',
      `This CRL does not cover the certificate (${why}); use the CRL from the certificate's own distribution point.`,
    );
  if (scope.indirect) {
    throw new SealmailError(
      'CRL_UNSUPPORTED',
      'Indirect CRLs (RFC 5280 §5.2.5 indirectCRL) are not supported.',
    );
  }
  if (scope.onlyAttributeCerts) throw mismatch('it lists only attribute certificates');
  if (scope.onlyUserCerts && certificate.isCA) throw mismatch('it lists only end-entity certificates');
  if (scope.onlyCaCerts && !certificate.isCA) throw mismatch('it lists only CA certificates');
  const point = scope.distributionPoint;
  if (point && !certificate.crlDistributionPoints.some((name) => namesOverlap(name, point))) {
    throw mismatch('its issuing distribution point is not one the certificate names');
  }
}

function staleError(nextUpdate: number, at: Date): SealmailError {
  const days = Math.floor((at.getTime() / 1000 - nextUpdate) / 86400);
  return new SealmailError(
    'CRL_STALE',
    `The CRL expired at ${isoTime(nextUpdate)} (${days} day(s) before ${at.toISOString()}) and policy forbids using a stale CRL; fetch a fresh one from the CA.`,
  );
}

/** Looks a serial (DER INTEGER content) up in the set. Throws CRL_STALE under 'fail-closed'. */
export function crlAnswer(set: CrlSet, serial: Uint8Array, at: Date, policy: StaleCrlPolicy): CrlAnswer {
  checkDeltaFits(set);
  const freshest = set.delta ?? set.complete;
  const { thisUpdate, nextUpdate } = freshest.facts;
  const stale = nextUpdate !== null && at.getTime() / 1000 > nextUpdate;
  if (stale && policy === 'fail-closed') throw staleError(nextUpdate, at);
  const coversAllReasons = set.complete.facts.scope?.onlySomeReasons == null;

  // §5.2.4: the delta's entries override the complete CRL's; removeFromCRL in a delta lifts a
  // certificateHold the complete CRL listed.
  let hit: RevokedEntry | null = set.delta ? set.delta.entries.find(serial) : null;
  if (!hit) hit = set.complete.entries.find(serial);
  if (!hit || hit.reason === REMOVE_FROM_CRL) {
    return { revoked: false, reason: null, revokedAt: null, thisUpdate, nextUpdate, stale, coversAllReasons };
  }
  return {
    revoked: true,
    reason: hit.reason,
    revokedAt: hit.revokedAt,
    thisUpdate,
    nextUpdate,
    stale,
    coversAllReasons,
  };
}
