// Account ids are readable (they name the keychain entry) and never collide.
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { accountIdFor } from '../../electron/services/accounts/account-id.js';

test('an id is the name in lower case with dashes', () => {
  expect(accountIdFor('Work mail', new Set())).toBe('work-mail');
  expect(accountIdFor('  Élodie @ Home!! ', new Set())).toBe('elodie-home');
});

test('a long name is cut to 60 characters without a dangling dash', () => {
  const id = accountIdFor(`${'a'.repeat(59)} b`, new Set());
  expect(id).toBe('a'.repeat(59));
});

test('a name with nothing usable still gets an id', () => {
  expect(accountIdFor('✉✉✉', new Set())).toBe('account');
});

test('a taken id gets the next free numeric suffix', () => {
  expect(accountIdFor('Work', new Set(['work']))).toBe('work-2');
  expect(accountIdFor('Work', new Set(['work', 'work-2', 'work-3']))).toBe('work-4');
});

test('whatever the name and the ids taken, the new id is free and keychain-safe', () => {
  fc.assert(
    fc.property(fc.string(), fc.array(fc.string({ maxLength: 12 })), (name, taken) => {
      const id = accountIdFor(name, new Set(taken));
      expect(taken).not.toContain(id);
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }),
  );
});
