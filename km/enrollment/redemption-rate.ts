// Rate limit on redemption attempts per mailbox (issue 4). Kept in the database, not in one
// node's memory, so several KM nodes behind a balancer share one budget. A temporary key has
// over 100 bits, so this is not what stops guessing; it stops a noisy client from hammering
// the CA, and leaves a trace.
import { SealmailError } from '../../core/errors.js';
import type { KmContext } from '../authority/km-clock.js';

export const redemptionWindowMinutes = 15;
export const failedRedemptionsAllowed = 10;

export async function checkRedemptionRate(context: KmContext, email: string): Promise<void> {
  const since = new Date(context.now().getTime() - redemptionWindowMinutes * 60_000).toISOString();
  const failures = await context.store.records.failedRedemptionsSince(email, since);
  if (failures >= failedRedemptionsAllowed) {
    throw new SealmailError(
      'RATE_LIMITED',
      `${failures} failed enrollment attempts for ${email} in the last ${redemptionWindowMinutes} minutes; ` +
        'wait and try again, checking the temporary key first.',
    );
  }
}
