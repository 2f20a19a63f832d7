// What a sealmail://enroll link may do in the window: open the wizard for the matching account
// with the temporary key filled in, and never make Sealmail use a KM the link names when the
// organisation or the account already has one (a phishing link could name an attacker's KM).
import { expect, test } from 'vitest';
import type { AccountSummary } from '../../core/api/types.js';
import { formatEnrollmentLink } from '../../core/enrollment/enrollment-link.js';
import { createEnrollmentLinks } from '../../electron/services/enrollment/enrollment-links.js';
import { EventBus } from '../../electron/services/event-bus.js';
import { generateTemporaryKey } from '../../core/enrollment/temporary-key.js';
import { kmFromLink, outcomeOfLink } from '../../renderer/src/state/enrollment-link.js';

const server = { host: 'mail.example.test', port: 993, tls: 'tls' as const };
const alice: AccountSummary = {
  id: 'a1',
  name: 'Alice',
  email: 'alice@example.test',
  username: 'alice@example.test',
  imap: server,
  smtp: { ...server, port: 587, tls: 'starttls' },
};
const key = generateTemporaryKey();

function offered(text: string) {
  return createEnrollmentLinks(new EventBus()).offer(text);
}

test('a link for a known mailbox opens the wizard with its key (mailbox matched in any case)', () => {
  const link = offered(formatEnrollmentLink({ email: 'Alice@Example.test', temporaryKey: key, kmUrl: null }));
  if (!link.ok) throw new Error(link.error.message);
  const outcome = outcomeOfLink(link, [alice]);
  expect(outcome.kind).toBe('wizard');
  if (outcome.kind === 'wizard') {
    expect(outcome.account.id).toBe('a1');
    expect(outcome.prefill.kmUrl).toBeNull();
  }
});

test('a link for a mailbox Sealmail does not have says which one, and to add it first', () => {
  const link = offered(formatEnrollmentLink({ email: 'dave@example.test', temporaryKey: key }));
  expect(outcomeOfLink(link, [alice])).toEqual({
    kind: 'notice',
    text:
      'This Sealmail link sets up Advanced Security for the mailbox dave@example.test, which is not in ' +
      'Sealmail yet. Add that account first (Add account), then open the link again.',
  });
});

test('a damaged link shows its own explanation', () => {
  const outcome = outcomeOfLink(offered('sealmail://enroll?mailbox=alice%40example.test'), [alice]);
  expect(outcome.kind).toBe('notice');
  if (outcome.kind === 'notice')
    expect(outcome.text).toMatch(/^This Sealmail link cannot be used: it carries no temporary key/);
});

test("a link's KM is ignored, with a warning, when another is known; the same one is fine", () => {
  expect(kmFromLink('https://km.attacker.example/', 'https://km.example.org')).toEqual({
    suggest: null,
    warning:
      'This link names a different Key Management server (https://km.attacker.example/) than your ' +
      "organisation's (https://km.example.org); it was ignored.",
  });
  expect(kmFromLink('https://KM.example.org/', 'https://km.example.org')).toEqual({
    suggest: null,
    warning: null,
  });
  expect(kmFromLink(null, 'https://km.example.org')).toEqual({ suggest: null, warning: null });
});

test('with no KM known, the link only suggests its address (the user confirms it)', () => {
  expect(kmFromLink('https://km.example.org/', null)).toEqual({
    suggest: 'https://km.example.org/',
    warning: null,
  });
});
