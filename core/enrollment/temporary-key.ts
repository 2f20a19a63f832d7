// The one-time temporary key an administrator hands a user (seed 003, "Enable Advanced
// Security"), in a form a person can read aloud and type:
//
//   XXXX-XXXX-XXXX-XXXX-XXXX-XXXX     23 random characters + 1 check character
//
// The alphabet has 31 characters: the digits 2-9 and the letters without I, L and O, so 0/O and
// 1/I/L are never confused. 23 characters carry 23 × log2(31) ≈ 114 bits of entropy (issue 4
// asks for at least 100). The check character makes the weighted sum Σ (i+1)·value(i) ≡ 0 mod 31
// over all 24 positions. Because 31 is prime and every weight is below 31, it catches every
// single wrong character and every swap of two characters, so a typo is reported before the
// KM server is contacted (and before a rate-limited attempt is spent).
import { SealmailError } from '../errors.js';

export const temporaryKeyAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const modulus = temporaryKeyAlphabet.length; // 31, a prime
const randomCharacters = 23;
const groupSize = 4;

/** ≈ 113.9 bits: the entropy of a generated key, for documentation and tests. */
export const temporaryKeyEntropyBits = randomCharacters * Math.log2(modulus);

function checkCharacterFor(values: readonly number[]): number {
  let sum = 0;
  values.forEach((value, i) => {
    sum += (i + 1) * value;
  });
  // The check sits at position values.length + 1; pick c with sum + (n+1)·c ≡ 0 (mod 31).
  const weight = values.length + 1;
  for (let c = 0; c < modulus; c++) if ((sum + weight * c) % modulus === 0) return c;
  throw new SealmailError('INTERNAL', 'no check character exists; the modulus must be prime');
}

function grouped(characters: string): string {
  const groups: string[] = [];
  for (let i = 0; i < characters.length; i += groupSize) groups.push(characters.slice(i, i + groupSize));
  return groups.join('-');
}

/** A fresh temporary key from WebCrypto's CSPRNG, by rejection sampling (no modulo bias). */
export function generateTemporaryKey(): string {
  const values: number[] = [];
  const limit = 256 - (256 % modulus); // 248: the largest multiple of 31 that fits a byte
  while (values.length < randomCharacters) {
    for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < limit && values.length < randomCharacters) values.push(byte % modulus);
    }
  }
  values.push(checkCharacterFor(values));
  return grouped(values.map((value) => temporaryKeyAlphabet[value]).join(''));
}

/**
 * The canonical form of what the user typed: upper case, grouped, with spaces and dashes
 * anywhere ignored. Throws TEMPORARY_KEY_MALFORMED naming the problem, so the client can say
 * exactly what to fix before it contacts the server.
 */
export function normalizeTemporaryKey(typed: string): string {
  const characters = typed.toUpperCase().replace(/[\s-]/g, '');
  for (const character of characters) {
    if (!temporaryKeyAlphabet.includes(character)) {
      throw new SealmailError(
        'TEMPORARY_KEY_MALFORMED',
        `The temporary key contains "${character}", which temporary keys never contain ` +
          '(they use 2-9 and A-Z without I, L and O). Copy the key again from the enrollment message.',
      );
    }
  }
  const expected = randomCharacters + 1;
  if (characters.length !== expected) {
    throw new SealmailError(
      'TEMPORARY_KEY_MALFORMED',
      `The temporary key has ${characters.length} characters, but it should have ${expected} ` +
        `(six groups of four, like ABCD-EFGH-…). Check for a missing or extra character.`,
    );
  }
  const values = [...characters].map((character) => temporaryKeyAlphabet.indexOf(character));
  if (checkCharacterFor(values.slice(0, -1)) !== values[values.length - 1]) {
    throw new SealmailError(
      'TEMPORARY_KEY_MALFORMED',
      'The temporary key has a typing mistake (its check character does not match). ' +
        'Compare it character by character with the enrollment message.',
    );
  }
  return grouped(characters);
}

/** True when `typed` is a well-formed temporary key (a typo-free one), without throwing. */
export function isWellFormedTemporaryKey(typed: string): boolean {
  try {
    normalizeTemporaryKey(typed);
    return true;
  } catch {
    return false;
  }
}
