// The wizard's pure parts (renderer/src/components/security/): the key-file password meter for
// passwords people really choose, the temporary key's live check, and errors in plain words.
import { describe, expect, it } from 'vitest';
import { estimatePasswordStrength } from '../../renderer/src/components/security/password-strength.js';
import { checkTemporaryKey } from '../../renderer/src/components/security/temporary-key-check.js';
import {
  asErrorInfo,
  securityProblemInWords,
} from '../../renderer/src/components/security/security-problems.js';
import { generateTemporaryKey } from '../../core/enrollment/temporary-key.js';
import { SealmailError } from '../../core/errors.js';

describe('estimatePasswordStrength', () => {
  it.each([
    ['', 'too-short'],
    ['Ab1!', 'too-short'],
    ['password', 'weak'],
    ['Password1!', 'weak'],
    ['aaaaaaaaaaaa', 'weak'],
    ['abcdefgh12345678', 'weak'],
    ['qwertyuiop123', 'weak'],
    ['Summer2026', 'weak'],
    ['Tr0ub4dor&3', 'good'],
    ['river lantern oboe', 'strong'],
    ['correct horse battery staple', 'strong'],
  ])('rates %j as %s', (password, strength) => {
    expect(estimatePasswordStrength(password).strength).toBe(strength);
  });

  it('accepts fair and better only', () => {
    expect(estimatePasswordStrength('Password1!').acceptable).toBe(false);
    expect(estimatePasswordStrength('gravel-tin-87').acceptable).toBe(true);
  });

  it('names what made it weak', () => {
    const advice = estimatePasswordStrength('password1234aaaa').advice.join(' ');
    expect(advice).toContain('"password"');
    expect(advice).toContain('"1234"');
    expect(advice).toContain('"aaaa"');
  });

  it("counts the user's own address as a guessable word", () => {
    const plain = estimatePasswordStrength('alicealice7!');
    const personal = estimatePasswordStrength('alicealice7!', ['alice']);
    expect(personal.bits).toBeLessThan(plain.bits);
    expect(personal.advice.join(' ')).toContain('"alice"');
  });
});

describe('checkTemporaryKey', () => {
  const key = generateTemporaryKey();

  it('says a well-formed key looks right, however it is spaced and cased', () => {
    expect(checkTemporaryKey(key).state).toBe('looks-right');
    expect(checkTemporaryKey(` ${key.toLowerCase().replace(/-/g, ' ')} `).state).toBe('looks-right');
  });

  it('counts while typing, and calls a short key a problem once the user goes on', () => {
    expect(checkTemporaryKey(key.slice(0, 9))).toEqual({
      state: 'typing',
      message: '8 of 24 characters so far.',
    });
    const finished = checkTemporaryKey(key.slice(0, 9), true);
    expect(finished.state).toBe('problem');
    expect(finished.state === 'problem' && finished.message).toContain('8 characters');
  });

  it('names a character that cannot occur at once', () => {
    const typed = checkTemporaryKey('ABCD-O');
    expect(typed.state).toBe('problem');
    expect(typed.state === 'problem' && typed.message).toContain('"O"');
  });

  it('catches one mistyped character', () => {
    const last = key.at(-1) === '2' ? '3' : '2';
    const typed = checkTemporaryKey(`${key.slice(0, -1)}${last}`);
    expect(typed.state === 'problem' && typed.message).toContain('typing mistake');
  });
});

describe('securityProblemInWords', () => {
  it('turns what the worker threw into the way out', () => {
    const spent = asErrorInfo(
      new SealmailError('TEMPORARY_KEY_SPENT', 'that temporary key was already used'),
    );
    expect(spent.code).toBe('TEMPORARY_KEY_SPENT');
    expect(securityProblemInWords(spent)).toContain('Ask your administrator for a new one');
    expect(securityProblemInWords({ code: 'CONNECTION_FAILED', message: 'ECONNREFUSED' })).toContain(
      'could not be reached',
    );
  });

  it('keeps the exact fix core names for a mistyped key, and codes anything else as INTERNAL', () => {
    const message = 'The temporary key has 23 characters, but it should have 24.';
    expect(securityProblemInWords({ code: 'TEMPORARY_KEY_MALFORMED', message })).toBe(message);
    expect(asErrorInfo(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(asErrorInfo({ code: 'NOT_A_CODE', message: 'x' }).code).toBe('INTERNAL');
  });
});
