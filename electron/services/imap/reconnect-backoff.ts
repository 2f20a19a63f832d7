// When to try the server again after a connection failure: exponential backoff with jitter, so
// that many clients cut off by one outage do not all come back in the same second.
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 1_000, maxMs: 5 * 60_000 };

/**
 * attempt 0 is the first retry. The delay is drawn from [cap/2, cap] ("equal jitter"), where
 * cap = min(maxMs, initialMs * 2^attempt): never zero, never more than the cap.
 */
export function reconnectDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (cap / 2) * random());
}
