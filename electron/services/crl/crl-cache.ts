// The desktop's CRL cache (issue 5, seed 003: "the client keeps a copy"). Per issuing CA it keeps
// the verified index of the newest complete CRL, of its delta when there is one, and a small
// record of where they came from, in <home>/crl/. Start-up reads the indexes without re-parsing
// a CRL; offline, the last good CRL keeps answering and the record says how old it is.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { join } from 'node:path';
import { SealmailError } from '../../../core/errors.js';
import {
  pemOrDer,
  readCertificateFacts,
  type CertificateFacts,
} from '../../../core/pki/crl/certificate-facts.js';
import type { CrlSource } from '../../../core/pki/crl/crl-revocation-checker.js';
import { checkDeltaFits, type CrlSet } from '../../../core/pki/crl/revocation-status.js';
import { loadVerifiedCrl, type VerifiedCrl } from '../../../core/pki/crl/verified-crl.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { downloadCrl, type CrlValidators } from './crl-download.js';
import { readCrlIndex, writeCrlIndex } from './crl-index-file.js';

/** What the cache remembers about one issuer's CRLs besides the indexes themselves. */
const crlRecordSchema = z.object({
  /** The issuing CA's certificate, base64 DER, so a refresh can verify the new CRL. */
  issuer: z.string(),
  url: z.string().nullable(),
  validators: z.object({ etag: z.string().nullable(), lastModified: z.string().nullable() }),
  /** When the complete CRL was last fetched or confirmed unchanged (ISO). */
  checkedAt: z.string(),
  thisUpdate: z.number(),
  nextUpdate: z.number().nullable(),
});
export type CrlRecord = z.infer<typeof crlRecordSchema>;

export interface CachedCrls extends CrlSet {
  record: CrlRecord;
}

export function issuerKey(issuer: CertificateFacts): string {
  return issuerNameKey(issuer.subject);
}

/** The file key of a CA by its DER name alone (the issuer field of a certificate it signed). */
function issuerNameKey(name: Uint8Array): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 40);
}

export class CrlCache implements CrlSource {
  private readonly held = new Map<string, CachedCrls>();

  constructor(
    readonly dir: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private paths(key: string) {
    return {
      complete: join(this.dir, `${key}.complete.crlindex`),
      delta: join(this.dir, `${key}.delta.crlindex`),
      record: join(this.dir, `${key}.json`),
    };
  }

  /** Verifies a CRL (and optional delta) of `issuerDer` and stores their indexes. */
  async install(
    issuerDer: Uint8Array,
    completeDer: Uint8Array,
    options: { deltaDer?: Uint8Array; url?: string | null; validators?: CrlValidators } = {},
  ): Promise<CachedCrls> {
    const issuerBytes = pemOrDer(issuerDer, 'CERTIFICATE', 'MALFORMED_CERTIFICATE');
    const issuer = readCertificateFacts(issuerBytes);
    const complete = await loadVerifiedCrl(completeDer, issuer);
    const delta = options.deltaDer ? await loadVerifiedCrl(options.deltaDer, issuer) : null;
    checkDeltaFits({ complete, delta });
    const key = issuerKey(issuer);
    const held = this.load(key);
    // Never replace a newer CRL with an older one (a replayed or cached-by-proxy copy).
    if (held && held.complete.facts.thisUpdate > complete.facts.thisUpdate) {
      throw new SealmailError(
        'CRL_STALE',
        'This CRL is older than the one Sealmail already has for this CA, so it was not stored.',
      );
    }
    const record: CrlRecord = {
      issuer: Buffer.from(issuerBytes).toString('base64'),
      url: options.url ?? held?.record.url ?? issuer.crlDistributionPoints.flatMap((p) => p.uris)[0] ?? null,
      validators: options.validators ?? { etag: null, lastModified: null },
      checkedAt: new Date().toISOString(),
      thisUpdate: complete.facts.thisUpdate,
      nextUpdate: (delta ?? complete).facts.nextUpdate,
    };
    const paths = this.paths(key);
    await writeCrlIndex(paths.complete, complete);
    if (delta) await writeCrlIndex(paths.delta, delta);
    else rmSync(paths.delta, { force: true });
    await writeFileAtomic(paths.record, JSON.stringify(record, null, 2));
    const cached = { complete, delta, record };
    this.held.set(key, cached);
    return cached;
  }

  /** The cached CRLs of this issuer, from memory or disk; null when there are none. */
  cached(issuer: CertificateFacts): CachedCrls | null {
    return this.load(issuerKey(issuer));
  }

  /**
   * The cached CRLs of the CA named as `certificate`'s issuer, found by name alone: the encryptor
   * has the recipient's certificate but often not its CA's, which the record carries.
   */
  cachedForIssuerOf(certificate: CertificateFacts): CachedCrls | null {
    return this.load(issuerNameKey(certificate.issuer));
  }

  crlsFor(issuer: CertificateFacts): Promise<CrlSet | null> {
    return Promise.resolve(this.cached(issuer));
  }

  /** Every issuer the cache holds a CRL for. */
  records(): CrlRecord[] {
    return [...this.held.values()].map((c) => c.record);
  }

  /**
   * Fetches the issuer's CRL again, conditionally. Unchanged: only checkedAt moves. Failure
   * (offline, server down) throws, and the last good CRL stays in place.
   */
  async refresh(issuerDer: Uint8Array, url?: string): Promise<CachedCrls> {
    const issuer = readCertificateFacts(pemOrDer(issuerDer, 'CERTIFICATE', 'MALFORMED_CERTIFICATE'));
    const held = this.cached(issuer);
    const from = url ?? held?.record.url;
    if (!from) {
      throw new SealmailError(
        'NOT_FOUND',
        'No distribution point is known for this CA; import its CRL with `sealmail crl import`.',
      );
    }
    const known = held?.record.url === from ? held.record.validators : { etag: null, lastModified: null };
    const download = await downloadCrl(from, known, this.fetchImpl);
    if (!download.changed && held) {
      const record = { ...held.record, checkedAt: new Date().toISOString() };
      await writeFileAtomic(this.paths(issuerKey(issuer)).record, JSON.stringify(record, null, 2));
      held.record = record;
      return held;
    }
    if (!download.changed)
      throw new SealmailError('SERVER_ERROR', `${from} answered Not Modified to an unconditional request.`);
    return this.install(issuerDer, download.der, { url: from, validators: download.validators });
  }

  /** Loads every issuer's record and indexes from disk (start-up); damaged ones are dropped. */
  loadAll(): CrlRecord[] {
    for (const name of readdirNames(this.dir)) {
      const match = /^([0-9a-f]{40})\.json$/.exec(name);
      if (!match) continue;
      try {
        this.load(match[1]!);
      } catch (error) {
        if (!(error instanceof SealmailError && error.code === 'CRL_INDEX_INVALID')) throw error;
      }
    }
    return this.records();
  }

  private load(key: string): CachedCrls | null {
    const held = this.held.get(key);
    if (held) return held;
    const paths = this.paths(key);
    let text: string;
    try {
      text = readFileSync(paths.record, 'utf8');
    } catch {
      return null;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const checked = crlRecordSchema.safeParse(parsed);
    if (!checked.success) {
      throw new SealmailError(
        'CRL_INDEX_INVALID',
        `The CRL record ${paths.record} is damaged; import or fetch the CRL again.`,
      );
    }
    const record = checked.data;
    let complete: VerifiedCrl | null;
    let delta: VerifiedCrl | null;
    try {
      complete = readCrlIndex(paths.complete);
      delta = readCrlIndex(paths.delta);
    } catch (error) {
      // A damaged index is as good as none: it is dropped (the record stays, so a refresh knows
      // where to fetch from) and this one lookup reports CRL_INDEX_INVALID.
      if (error instanceof SealmailError && error.code === 'CRL_INDEX_INVALID') {
        rmSync(paths.complete, { force: true });
        rmSync(paths.delta, { force: true });
      }
      throw error;
    }
    if (!complete) return null;
    const cached = { complete, delta, record };
    this.held.set(key, cached);
    return cached;
  }
}

function readdirNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
