// When to ask the user to renew (issue 4): 30 days before a certificate expires, so there is
// time to renew while the current signing certificate still authenticates simplereenroll.
export const renewalWindowDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

export interface RenewalAdvice {
  /** True from 30 days before expiry on, including after it expired. */
  due: boolean;
  expired: boolean;
  /** Whole days until expiry, rounded down; negative once expired. */
  daysLeft: number;
}

export function renewalAdvice(notAfter: Date, now: Date, windowDays = renewalWindowDays): RenewalAdvice {
  const left = notAfter.getTime() - now.getTime();
  return { due: left <= windowDays * dayMs, expired: left < 0, daysLeft: Math.floor(left / dayMs) };
}
