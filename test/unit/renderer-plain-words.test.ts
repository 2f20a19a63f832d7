// How the renderer words the services' error envelopes (renderer/src/state/plain-words.ts).
import { expect, test } from 'vitest';
import { inPlainWords } from '../../renderer/src/state/plain-words.js';

test('errors from the services read as advice first, then what the server said, as sentences', () => {
  expect(
    inPlainWords({
      code: 'AUTH_FAILED',
      message: 'IMAP authentication failed for alice@example.test on 127.0.0.1:993; check the password',
    }),
  ).toBe(
    'The server did not accept the user name or password. ' +
      'IMAP authentication failed for alice@example.test on 127.0.0.1:993; check the password.',
  );
  expect(inPlainWords({ code: 'NOT_FOUND', message: 'there is no account "x"' })).toBe(
    'There is no account "x".',
  );
  expect(inPlainWords({ code: 'INTERNAL', message: '' })).toBe('Something went wrong inside Sealmail.');
});
