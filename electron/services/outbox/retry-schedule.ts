// When the outbox tries a temporarily failed message again. Exponential backoff with "equal
// jitter" (half fixed, half random) so that many clients coming back online do not all knock at
// once, capped so that a message is never parked for long once the server is back.
// RFC 5321 §4.5.4.1 gives MTAs a give-up time of 4-5 days; a submission client keeps the same.

export interface RetryPolicy {
  /** Delay before the second attempt. */
  firstDelayMs: number;
  /** No delay grows beyond this. */
  maxDelayMs: number;
  /** After this long since the message was queued, a temporary failure becomes permanent. */
  giveUpAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  firstDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
  giveUpAfterMs: 5 * 24 * 60 * 60_000,
};

/**
 * Delay after the given number of failed attempts (1 = the first attempt just failed).
 * `random` is in [0, 1), as Math.random.
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
  const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function hasGivenUp(createdAt: Date, now: Date, policy: RetryPolicy): boolean {
  return now.getTime() - createdAt.getTime() >= policy.giveUpAfterMs;
}
