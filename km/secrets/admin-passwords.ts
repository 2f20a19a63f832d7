// "Type the required number of advanced security administrator passwords" (seed 003): the KM
// secret is split k-of-n (shamir.ts) and each administrator's share is sealed under a key
// derived from that administrator's password with scrypt (RFC 7914). The ring has one salt, so
// each given password costs one scrypt; its key is tried on each slot, and it opens at most one,
// so one administrator never counts twice (init refuses two equal passwords). There is no default password: `km init` refuses to run without n passwords.
import { randomBytes, scryptSync } from 'node:crypto';
import { SealmailError } from '../../core/errors.js';
import { combineShares, splitSecret, type SecretShare } from './shamir.js';
import { derivedKey, seal, tryOpen } from './sealed-box.js';

/** scrypt cost: N = 2^15, r = 8 (32 MiB, tens of milliseconds per try) — RFC 7914 §2. */
const scryptCost = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const minimumPasswordLength = 10;
const checkLabel = 'admin check';

export interface AdminSlot {
  /** 1-based administrator number, used as "who" in the audit log. */
  admin: number;
  /** The share (x ‖ y) sealed under scrypt(password, salt). */
  sealedShare: string;
}

export interface AdminKeyRing {
  required: number;
  /** scrypt salt, base64. */
  salt: string;
  slots: AdminSlot[];
  /** Sealed under a key derived from the KM secret, to tell a wrong combination from a right one. */
  check: string;
}

export interface Unlocked {
  kmSecret: Uint8Array;
  /** Which administrators' passwords were given and accepted. */
  admins: number[];
}

function passwordKey(password: string, salt: string): Uint8Array {
  return new Uint8Array(scryptSync(password.normalize('NFC'), Buffer.from(salt, 'base64'), 32, scryptCost));
}

export function createAdminKeyRing(
  passwords: readonly string[],
  required: number,
): { ring: AdminKeyRing; kmSecret: Uint8Array } {
  if (passwords.length === 0) {
    throw new SealmailError(
      'ADMIN_PASSWORDS_REQUIRED',
      'give at least one --admin-password-file; there is no default password.',
    );
  }
  for (const [i, password] of passwords.entries()) {
    if (password.length < minimumPasswordLength) {
      throw new SealmailError(
        'INVALID_REQUEST',
        `administrator password ${i + 1} is ${password.length} characters; use at least ${minimumPasswordLength}.`,
      );
    }
  }
  if (new Set(passwords).size !== passwords.length) {
    throw new SealmailError(
      'INVALID_REQUEST',
      'two administrator passwords are the same; each administrator needs their own.',
    );
  }
  const kmSecret = new Uint8Array(randomBytes(32));
  const shares = splitSecret(kmSecret, passwords.length, required);
  const salt = randomBytes(16).toString('base64');
  const slots = passwords.map((password, i) => {
    const share = shares[i] as SecretShare;
    const packed = new Uint8Array([share.x, ...share.y]);
    return { admin: i + 1, sealedShare: seal(passwordKey(password, salt), packed, `admin ${i + 1} share`) };
  });
  const check = seal(derivedKey(kmSecret, 'admin-check'), new Uint8Array([1]), checkLabel);
  return { ring: { required, salt, slots, check }, kmSecret };
}

export function unlockWithAdminPasswords(ring: AdminKeyRing, passwords: readonly string[]): Unlocked {
  const opened = new Map<number, SecretShare>();
  for (const password of new Set(passwords)) {
    const key = passwordKey(password, ring.salt);
    for (const slot of ring.slots) {
      if (opened.has(slot.admin)) continue;
      const packed = tryOpen(key, slot.sealedShare, `admin ${slot.admin} share`);
      if (packed) {
        opened.set(slot.admin, { x: packed[0] ?? 0, y: packed.subarray(1) });
        break;
      }
    }
  }
  const admins = [...opened.keys()].sort((a, b) => a - b);
  if (admins.length < ring.required) {
    const wrong = new Set(passwords).size - admins.length;
    throw new SealmailError(
      'ADMIN_PASSWORDS_REQUIRED',
      `this operation needs ${ring.required} administrator passwords; ${admins.length} were accepted` +
        (wrong > 0 ? ` and ${wrong} did not match any administrator` : '') +
        '. Give one --admin-password-file per administrator.',
    );
  }
  const kmSecret = combineShares([...opened.values()].slice(0, ring.required));
  if (!tryOpen(derivedKey(kmSecret, 'admin-check'), ring.check, checkLabel)) {
    throw new SealmailError(
      'INTERNAL',
      'the administrator shares do not rebuild the KM secret; the key ring was altered.',
    );
  }
  return { kmSecret, admins };
}
