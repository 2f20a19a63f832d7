// The typed form of a temporary key (issue 4): enough entropy, no ambiguous characters, and
// a check character that catches every single typo and every swap before the KM is contacted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateTemporaryKey,
  isWellFormedTemporaryKey,
  normalizeTemporaryKey,
  temporaryKeyAlphabet,
  temporaryKeyEntropyBits,
} from '../../core/enrollment/temporary-key.js';
import { SealmailError } from '../../core/errors.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error instanceof SealmailError ? error.code : 'not a SealmailError';
  }
}

describe('temporary key', () => {
  it('is six groups of four from an alphabet without 0, O, 1, I or L, and over 100 bits', () => {
    expect(temporaryKeyEntropyBits).toBeGreaterThan(100);
    for (const forbidden of '01ILO') expect(temporaryKeyAlphabet).not.toContain(forbidden);
    const key = generateTemporaryKey();
    expect(key).toMatch(/^([2-9A-HJKMNP-Z]{4}-){5}[2-9A-HJKMNP-Z]{4}$/);
    expect(normalizeTemporaryKey(key)).toBe(key);
  });

  it('never repeats in practice', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateTemporaryKey()));
    expect(keys.size).toBe(2000);
  });

  it('accepts what a person types: lower case, spaces, missing dashes', () => {
    const key = generateTemporaryKey();
    const typed = ` ${key.toLowerCase().replaceAll('-', ' ')} `;
    expect(normalizeTemporaryKey(typed)).toBe(key);
    expect(normalizeTemporaryKey(key.replaceAll('-', ''))).toBe(key);
  });

  it('catches every single wrong character', () => {
    fc.assert(
      fc.property(fc.nat(23), fc.nat(30), (position, shift) => {
        const key = generateTemporaryKey().replaceAll('-', '');
        const value = temporaryKeyAlphabet.indexOf(key[position] ?? '');
        const wrong = temporaryKeyAlphabet[(value + 1 + (shift % 30)) % 31] ?? '';
        const typo = key.slice(0, position) + wrong + key.slice(position + 1);
        expect(codeOf(() => normalizeTemporaryKey(typo))).toBe('TEMPORARY_KEY_MALFORMED');
      }),
    );
  });

  it('catches every swap of two different characters', () => {
    fc.assert(
      fc.property(fc.nat(23), fc.nat(23), (a, b) => {
        const key = generateTemporaryKey().replaceAll('-', '');
        fc.pre(key[a] !== key[b]);
        const chars = [...key];
        [chars[a], chars[b]] = [chars[b] ?? '', chars[a] ?? ''];
        expect(isWellFormedTemporaryKey(chars.join(''))).toBe(false);
      }),
    );
  });

  it('names the problem: a look-alike character, or a missing character', () => {
    const key = generateTemporaryKey();
    expect(() => normalizeTemporaryKey(`O${key.slice(1)}`)).toThrow(/contains "O"/);
    expect(() => normalizeTemporaryKey(key.slice(0, -1))).toThrow(/23 characters, but it should have 24/);
    expect(() => normalizeTemporaryKey('')).toThrow(SealmailError);
  });
});
