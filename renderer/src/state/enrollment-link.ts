// What the window does with a sealmail://enroll link (core/enrollment/enrollment-link.ts). Anyone
// can send such a link, so it only fills in the wizard; the user still presses Next and chooses
// the password. Above all, the KM address in a link is never adopted silently: a phishing link
// could name an attacker's KM, which would then issue the keys others encrypt to.
import type { AccountSummary, OfferedEnrollmentLink } from '../../../core/api/types.js';
import type { EnrollmentLink } from '../../../core/enrollment/enrollment-link.js';

/** What the wizard is given from a link. */
export interface EnrollmentPrefill {
  temporaryKey: string;
  /** The link's KM address; the wizard decides with kmFromLink() whether it may be offered. */
  kmUrl: string | null;
}

export type LinkOutcome =
  { kind: 'wizard'; account: AccountSummary; prefill: EnrollmentPrefill } | { kind: 'notice'; text: string };

export function outcomeOfLink(
  offered: OfferedEnrollmentLink,
  accounts: readonly AccountSummary[],
): LinkOutcome {
  if (!offered.ok) return { kind: 'notice', text: offered.error.message };
  const { link } = offered;
  const account = accounts.find((candidate) => candidate.email.toLowerCase() === link.email.toLowerCase());
  if (!account) return { kind: 'notice', text: noAccountFor(link) };
  return { kind: 'wizard', account, prefill: { temporaryKey: link.temporaryKey, kmUrl: link.kmUrl } };
}

function noAccountFor(link: EnrollmentLink): string {
  return (
    `This Sealmail link sets up Advanced Security for the mailbox ${link.email}, which is not in ` +
    'Sealmail yet. Add that account first (Add account), then open the link again.'
  );
}

/** "https://km.example.org/" and "https://KM.example.org" are the same server. */
function sameServer(a: string, b: string): boolean {
  const normal = (url: string): string => {
    try {
      return new URL(url).href.replace(/\/+$/, '');
    } catch {
      return url.trim();
    }
  };
  return normal(a) === normal(b);
}

export interface KmFromLink {
  /** An address to put in the KM step's field for the user to confirm; null to keep the field as it was. */
  suggest: string | null;
  /** Shown in the wizard when the link's address was ignored. */
  warning: string | null;
}

/**
 * `known`: the organisation's KM (policy, locked or suggested) or the account's, if any. A link
 * may only suggest an address when none is known, and then the user must confirm it.
 */
export function kmFromLink(linkKmUrl: string | null, known: string | null): KmFromLink {
  if (linkKmUrl === null) return { suggest: null, warning: null };
  if (known === null) return { suggest: linkKmUrl, warning: null };
  if (sameServer(linkKmUrl, known)) return { suggest: null, warning: null };
  return {
    suggest: null,
    warning:
      `This link names a different Key Management server (${linkKmUrl}) than your organisation's ` +
      `(${known}); it was ignored.`,
  };
}
