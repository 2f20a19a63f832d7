// The revocation checker over the Sealmail home's CRL cache (<home>/crl): what `sealmail crl
// import` stored and the background refresh keeps current. `sealmail open` without --crl, the
// encryptor's recipient check and the app all ask it. Offline, the last good CRL keeps answering,
// and a stale one says how old it is (seed 003: the client keeps a copy).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RevocationAnswer, RevocationChecker } from '../../../core/pki/revocation.js';
import { readCertificateFacts, type CertificateFacts } from '../../../core/pki/crl/certificate-facts.js';
import { crlRevocationChecker, type CrlSource } from '../../../core/pki/crl/crl-revocation-checker.js';
import { bytesEqual } from '../../../core/pki/crl/der-reader.js';
import type { CrlSet, StaleCrlPolicy } from '../../../core/pki/crl/revocation-status.js';
import type { SealmailHome } from '../home.js';
import { CrlCache, type CrlRecord } from './crl-cache.js';

export function crlCacheDir(home: SealmailHome): string {
  return join(home.root, 'crl');
}

/** The home's CRL cache, or null when nothing was ever stored there (no directory is created). */
export function crlCacheOf(home: SealmailHome): CrlCache | null {
  const dir = crlCacheDir(home);
  if (!existsSync(dir)) return null;
  if (!readdirSync(dir).some((name) => name.endsWith('.json'))) return null;
  return new CrlCache(dir);
}

const HOUR = 60 * 60 * 1000;

/** "3 days", "5 hours": how old a CRL is, in the unit a reader can judge. */
export function ageInWords(milliseconds: number): string {
  const hours = Math.max(0, Math.floor(milliseconds / HOUR));
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

/**
 * The cache's CRLs for a CA, but only when they were verified against this very CA key: the
 * cache finds them by name, and two CAs may share a name.
 */
class SameKeyCrls implements CrlSource {
  constructor(private readonly cache: CrlCache) {}

  crlsFor(issuer: CertificateFacts): Promise<CrlSet | null> {
    const cached = this.cache.cached(issuer);
    if (!cached) return Promise.resolve(null);
    const verifiedWith = readCertificateFacts(Buffer.from(cached.record.issuer, 'base64'));
    return Promise.resolve(bytesEqual(verifiedWith.spki, issuer.spki) ? cached : null);
  }
}

/** When the cache last fetched (or confirmed) this CA's CRL, if it can tell. */
function lastCheckedOf(cache: CrlCache, issuerDer: Uint8Array): CrlRecord['checkedAt'] | null {
  try {
    return cache.cached(readCertificateFacts(issuerDer))?.record.checkedAt ?? null;
  } catch {
    return null;
  }
}

/**
 * crlRevocationChecker over the cache, with a stale CRL's warning saying how old the copy is
 * and when it was last fetched, so the reader can judge the answer (seed 003).
 */
export function cachedRevocationChecker(cache: CrlCache, policy: StaleCrlPolicy = 'warn'): RevocationChecker {
  const checker = crlRevocationChecker(new SameKeyCrls(cache), policy);
  return {
    async status(certificate, issuer, at): Promise<RevocationAnswer> {
      const answer = await checker.status(certificate, issuer, at);
      if (answer.warning?.code !== 'CRL_STALE' || !answer.crlThisUpdate) return answer;
      const promised = answer.crlNextUpdate
        ? ` the CA promised a new one by ${answer.crlNextUpdate.toISOString()};`
        : '';
      const checkedAt = lastCheckedOf(cache, issuer);
      const fetched = checkedAt ? ` last stored or checked ${checkedAt};` : '';
      return {
        ...answer,
        warning: {
          code: 'CRL_STALE',
          message:
            `The cached CRL is out of date: it was issued ${answer.crlThisUpdate.toISOString()} ` +
            `(${ageInWords(at.getTime() - answer.crlThisUpdate.getTime())} old);${promised}${fetched} ` +
            'Sealmail answered from this last good copy. Fetch a new one or run `sealmail crl import`.',
        },
      };
    },
  };
}
