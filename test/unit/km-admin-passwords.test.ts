// k of n administrator passwords (seed 003, issue 4): fewer than k cannot unlock the KM secret,
// any k can, and one password never counts for two administrators.
import { describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { createAdminKeyRing, unlockWithAdminPasswords } from '../../km/secrets/admin-passwords.js';
import { combineShares, splitSecret } from '../../km/secrets/shamir.js';

const passwords = ['first admin pw', 'second admin pw', 'third admin pw'];

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error instanceof SealmailError ? error.code : 'not a SealmailError';
  }
}

describe('Shamir sharing', () => {
  it('rebuilds the secret from any k shares and not from k-1', () => {
    const secret = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
    const shares = splitSecret(secret, 5, 3);
    expect(combineShares([shares[0]!, shares[2]!, shares[4]!])).toEqual(secret);
    expect(combineShares([shares[4]!, shares[1]!, shares[3]!])).toEqual(secret);
    expect(combineShares([shares[0]!, shares[1]!])).not.toEqual(secret);
  });
});

describe('administrator key ring', () => {
  const { ring, kmSecret } = createAdminKeyRing(passwords, 2);

  it('unlocks with any two of three passwords and names the administrators', () => {
    const unlocked = unlockWithAdminPasswords(ring, ['third admin pw', 'first admin pw']);
    expect(unlocked.kmSecret).toEqual(kmSecret);
    expect(unlocked.admins).toEqual([1, 3]);
  });

  it('refuses one password, the same password twice, and a wrong password', () => {
    expect(codeOf(() => unlockWithAdminPasswords(ring, ['second admin pw']))).toBe(
      'ADMIN_PASSWORDS_REQUIRED',
    );
    expect(codeOf(() => unlockWithAdminPasswords(ring, ['second admin pw', 'second admin pw']))).toBe(
      'ADMIN_PASSWORDS_REQUIRED',
    );
    expect(() => unlockWithAdminPasswords(ring, ['second admin pw', 'not an admin pw'])).toThrow(
      /needs 2 administrator passwords; 1 were accepted and 1 did not match/,
    );
  });

  it('has no default: no passwords, short or repeated passwords are refused at init', () => {
    expect(codeOf(() => createAdminKeyRing([], 1))).toBe('ADMIN_PASSWORDS_REQUIRED');
    expect(codeOf(() => createAdminKeyRing(['short'], 1))).toBe('INVALID_REQUEST');
    expect(codeOf(() => createAdminKeyRing(['same password', 'same password'], 1))).toBe('INVALID_REQUEST');
    expect(codeOf(() => createAdminKeyRing(['one password here'], 2))).toBe('INVALID_REQUEST');
  });
});
