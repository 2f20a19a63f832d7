// The `sealmail://enroll` link in the KM's welcome message (issue 7): one click opens the
// enrollment wizard with the mailbox, the temporary key and the KM address filled in. The user
// still confirms in the wizard; a link never redeems anything on its own, because anyone can
// send a link.
//
//   sealmail://enroll?mailbox=alice%40example.org&key=ABCD-EFGH-…&km=https%3A%2F%2Fkm.example.org
import { SealmailError } from '../errors.js';
import { normalizeTemporaryKey } from './temporary-key.js';

export interface EnrollmentLink {
  email: string;
  /** Canonical form (normalizeTemporaryKey). */
  temporaryKey: string;
  /** https only; null when the link names no KM (the account's or the policy's is used). */
  kmUrl: string | null;
}

export const enrollmentLinkScheme = 'sealmail';

function refuse(problem: string): never {
  throw new SealmailError(
    'INVALID_REQUEST',
    `This Sealmail link cannot be used: ${problem}. Copy the temporary key from the welcome message into Settings › Security › Set up Advanced Security instead.`,
  );
}

export function parseEnrollmentLink(text: string): EnrollmentLink {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    refuse('it is not a link');
  }
  if (url.protocol !== `${enrollmentLinkScheme}:`) refuse(`it is a ${url.protocol}// link, not sealmail://`);
  if (url.hostname !== 'enroll') refuse(`"${url.hostname}" is not something Sealmail links can do`);
  const email = (url.searchParams.get('mailbox') ?? '').trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) refuse('it names no mailbox');
  const key = url.searchParams.get('key');
  if (!key) refuse('it carries no temporary key');
  const km = url.searchParams.get('km');
  let kmUrl: string | null = null;
  if (km) {
    let parsed: URL;
    try {
      parsed = new URL(km);
    } catch {
      refuse('its KM address is not a URL');
    }
    // Enrollment carries keys: never over plain HTTP, whatever a link says.
    if (parsed.protocol !== 'https:') refuse('its KM address is not https://');
    kmUrl = parsed.href;
  }
  return { email, temporaryKey: normalizeTemporaryKey(key), kmUrl };
}

export function formatEnrollmentLink(link: {
  email: string;
  temporaryKey: string;
  kmUrl?: string | null;
}): string {
  const params = new URLSearchParams({ mailbox: link.email, key: link.temporaryKey });
  if (link.kmUrl) params.set('km', link.kmUrl);
  return `${enrollmentLinkScheme}://enroll?${params.toString()}`;
}
