// When a temporarily failed message is tried again (electron/services/outbox/retry-schedule.ts).
import { expect, test } from 'vitest';
import fc from 'fast-check';
import {
  defaultRetryPolicy,
  hasGivenUp,
  retryDelayMs,
} from '../../electron/services/outbox/retry-schedule.js';

const policy = { firstDelayMs: 1_000, maxDelayMs: 60_000, giveUpAfterMs: 86_400_000 };

test('the wait doubles after each failure, between half and all of the ceiling', () => {
  expect(retryDelayMs(1, policy, () => 0)).toBe(500);
  expect(retryDelayMs(1, policy, () => 0.999999)).toBe(1_000);
  expect(retryDelayMs(2, policy, () => 0)).toBe(1_000);
  expect(retryDelayMs(3, policy, () => 0)).toBe(2_000);
  expect(retryDelayMs(4, policy, () => 0.5)).toBe(6_000);
});

test('the wait never passes the cap, however many attempts failed', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 10_000 }),
      fc.double({ min: 0, max: 0.9999, noNaN: true }),
      (attempts, r) => {
        const delay = retryDelayMs(attempts, defaultRetryPolicy, () => r);
        expect(delay).toBeGreaterThanOrEqual(defaultRetryPolicy.firstDelayMs / 2);
        expect(delay).toBeLessThanOrEqual(defaultRetryPolicy.maxDelayMs);
      },
    ),
  );
});

test('a later attempt never waits less than half of an earlier one', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }), (attempts) => {
      expect(retryDelayMs(attempts + 1, policy, () => 0)).toBeGreaterThanOrEqual(
        retryDelayMs(attempts, policy, () => 0),
      );
    }),
  );
});

test('the outbox gives up on temporary failures five days after queueing (RFC 5321 §4.5.4.1)', () => {
  const queued = new Date('2026-01-01T00:00:00Z');
  expect(hasGivenUp(queued, new Date('2026-01-05T23:59:59Z'), defaultRetryPolicy)).toBe(false);
  expect(hasGivenUp(queued, new Date('2026-01-06T00:00:00Z'), defaultRetryPolicy)).toBe(true);
});
