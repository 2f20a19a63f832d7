// Reconnect delays: growing, capped, jittered, never zero.
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { defaultBackoff, reconnectDelay } from '../../electron/services/imap/reconnect-backoff.js';

test('the delay doubles per attempt up to the cap, with at most half of it taken off by jitter', () => {
  const policy = { initialMs: 1_000, maxMs: 60_000 };
  expect([0, 1, 2, 3].map((attempt) => reconnectDelay(policy, attempt, () => 1))).toEqual([
    1_000, 2_000, 4_000, 8_000,
  ]);
  expect([0, 1, 2, 3].map((attempt) => reconnectDelay(policy, attempt, () => 0))).toEqual([
    500, 1_000, 2_000, 4_000,
  ]);
  expect(reconnectDelay(policy, 100, () => 1)).toBe(60_000);
});

test('every delay lies in [cap/2, cap] and is never zero, for any attempt and any random draw', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 10_000 }),
      fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      (attempt, random) => {
        const delay = reconnectDelay(defaultBackoff, attempt, () => random);
        const cap = Math.min(defaultBackoff.maxMs, defaultBackoff.initialMs * 2 ** Math.min(attempt, 30));
        expect(delay).toBeGreaterThanOrEqual(cap / 2);
        expect(delay).toBeLessThanOrEqual(cap);
        expect(delay).toBeGreaterThan(0);
      },
    ),
  );
});
