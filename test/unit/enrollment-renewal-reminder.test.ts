// When Sealmail asks the user to renew (issue 4): from 30 days before a certificate expires.
import { describe, expect, it } from 'vitest';
import { renewalAdvice } from '../../core/enrollment/renewal-reminder.js';

const notAfter = new Date('2027-06-30T12:00:00Z');
const daysBefore = (days: number): Date => new Date(notAfter.getTime() - days * 24 * 60 * 60 * 1000);

describe('renewalAdvice', () => {
  it('stays quiet while more than 30 days are left', () => {
    expect(renewalAdvice(notAfter, daysBefore(31))).toEqual({ due: false, expired: false, daysLeft: 31 });
    expect(renewalAdvice(notAfter, new Date(daysBefore(30).getTime() - 1)).due).toBe(false);
  });

  it('asks from exactly 30 days before expiry on', () => {
    expect(renewalAdvice(notAfter, daysBefore(30))).toEqual({ due: true, expired: false, daysLeft: 30 });
    expect(renewalAdvice(notAfter, daysBefore(1))).toMatchObject({ due: true, daysLeft: 1 });
    expect(renewalAdvice(notAfter, notAfter)).toMatchObject({ due: true, expired: false, daysLeft: 0 });
  });

  it('keeps asking, and says so, once the certificate has expired', () => {
    expect(renewalAdvice(notAfter, daysBefore(-2))).toEqual({ due: true, expired: true, daysLeft: -2 });
  });

  it('takes another window when policy sets one', () => {
    expect(renewalAdvice(notAfter, daysBefore(40), 45).due).toBe(true);
  });
});
