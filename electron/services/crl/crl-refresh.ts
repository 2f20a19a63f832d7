// Background refresh: each cached CRL is fetched again before its nextUpdate, so the app never
// has to check a signature against a stale list while the CA is reachable. A failed refresh
// (offline) keeps the last good CRL and tries again later (issue 5).
import type { CrlCache, CrlRecord } from './crl-cache.js';

const HOUR = 60 * 60 * 1000;
const RETRY_AFTER_FAILURE = 15 * 60 * 1000;

/**
 * When to refetch: a tenth of the publication interval before nextUpdate (at least an hour
 * before), so a CA that publishes a little late is still fetched in time; a CRL without
 * nextUpdate is checked daily.
 */
export function refreshDueAt(record: CrlRecord): number {
  if (record.nextUpdate === null) return Date.parse(record.checkedAt) + 24 * HOUR;
  const interval = (record.nextUpdate - record.thisUpdate) * 1000;
  return record.nextUpdate * 1000 - Math.max(HOUR, interval / 10);
}

export interface RefreshOutcome {
  issuer: string;
  ok: boolean;
  message?: string;
}

/** Starts refreshing every cached CRL in the background; returns a function that stops it. */
export function startCrlRefresh(
  cache: CrlCache,
  onOutcome: (outcome: RefreshOutcome) => void = () => {},
): () => void {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const failedAt = new Map<string, number>();

  const schedule = (record: CrlRecord) => {
    if (stopped || !record.url) return;
    const retryAt = (failedAt.get(record.issuer) ?? -Infinity) + RETRY_AFTER_FAILURE;
    const due = Math.max(refreshDueAt(record), retryAt, Date.now());
    // setTimeout takes at most 2^31-1 ms (about 24.8 days); longer waits are re-armed.
    const wait = Math.min(due - Date.now(), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (Date.now() < due) return schedule(record);
      void cache.refresh(Buffer.from(record.issuer, 'base64')).then(
        (cached) => {
          failedAt.delete(record.issuer);
          onOutcome({ issuer: record.issuer, ok: true });
          schedule(cached.record);
        },
        (error: unknown) => {
          failedAt.set(record.issuer, Date.now());
          onOutcome({ issuer: record.issuer, ok: false, message: (error as Error).message });
          schedule(record);
        },
      );
    }, wait);
    timer.unref();
    timers.add(timer);
  };

  for (const record of cache.loadAll()) schedule(record);
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}
