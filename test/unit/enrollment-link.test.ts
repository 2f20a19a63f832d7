// Issue 7: a sealmail://enroll link in the welcome message opens the wizard with the mailbox,
// the temporary key and the KM filled in; a bad link says what is wrong and what to do instead.
import { describe, expect, it } from 'vitest';
import { formatEnrollmentLink, parseEnrollmentLink } from '../../core/enrollment/enrollment-link.js';
import { generateTemporaryKey } from '../../core/enrollment/temporary-key.js';
import { SealmailError } from '../../core/errors.js';
import type { EventPayloads } from '../../core/api/types.js';
import { EventBus } from '../../electron/services/event-bus.js';
import {
  createEnrollmentLinks,
  enrollmentLinkIn,
} from '../../electron/services/enrollment/enrollment-links.js';

const key = generateTemporaryKey();

function refusal(text: string): SealmailError {
  try {
    parseEnrollmentLink(text);
  } catch (error) {
    if (error instanceof SealmailError) return error;
    throw error;
  }
  throw new Error(`${text} was accepted`);
}

describe('sealmail://enroll links', () => {
  it('round-trip the mailbox, the temporary key and the KM address', () => {
    const text = formatEnrollmentLink({
      email: 'alice@example.org',
      temporaryKey: key,
      kmUrl: 'https://km.example.org:8443/',
    });
    expect(text.startsWith('sealmail://enroll?')).toBe(true);
    expect(parseEnrollmentLink(text)).toEqual({
      email: 'alice@example.org',
      temporaryKey: key,
      kmUrl: 'https://km.example.org:8443/',
    });
  });

  it('accept a key typed in lower case without dashes, as a mail program may mangle it', () => {
    const link = `sealmail://enroll?mailbox=Alice%40Example.org&key=${key.replace(/-/g, '').toLowerCase()}`;
    expect(parseEnrollmentLink(link)).toEqual({ email: 'alice@example.org', temporaryKey: key, kmUrl: null });
  });

  it.each([
    ['https://km.example.org/enroll?mailbox=a%40b.org&key=K', /not sealmail:\/\//],
    ['sealmail://delete-everything?mailbox=a%40b.org', /not something Sealmail links can do/],
    [`sealmail://enroll?key=${key}`, /names no mailbox/],
    ['sealmail://enroll?mailbox=a%40b.org', /no temporary key/],
    [`sealmail://enroll?mailbox=a%40b.org&key=${key}&km=http%3A%2F%2Fkm.example.org`, /not https/],
  ])('refuse %s, naming the problem and the way out', (text, problem) => {
    const error = refusal(text);
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/Set up Advanced Security/);
  });

  it('report a mistyped key in the link as a malformed temporary key', () => {
    const typo = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(refusal(`sealmail://enroll?mailbox=a%40b.org&key=${typo}`).code).toBe('TEMPORARY_KEY_MALFORMED');
  });
});

describe('a link handed over by the operating system', () => {
  it('is found among the command-line arguments Windows and Linux pass', () => {
    expect(enrollmentLinkIn(['/opt/Sealmail/sealmail', '--no-sandbox', 'sealmail://enroll?x'])).toBe(
      'sealmail://enroll?x',
    );
    expect(enrollmentLinkIn(['/opt/Sealmail/sealmail'])).toBeNull();
  });

  it('waits for the window, is told to an open window, and is taken only once', () => {
    const events = new EventBus();
    const told: EventPayloads['enrollment.link'][] = [];
    events.on('enrollment.link', (payload) => told.push(payload));
    const links = createEnrollmentLinks(events);
    links.offer(formatEnrollmentLink({ email: 'bob@example.org', temporaryKey: key }));
    expect(told).toHaveLength(1);
    expect(links.take()).toEqual({
      ok: true,
      link: { email: 'bob@example.org', temporaryKey: key, kmUrl: null },
    });
    expect(links.take()).toBeNull();
  });

  it('keeps a broken link as an error the window can explain', () => {
    const links = createEnrollmentLinks(new EventBus());
    links.offer('sealmail://enroll?mailbox=bob%40example.org');
    expect(links.take()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });
});
