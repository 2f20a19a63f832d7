// Seed 001: "encrypt when the subject or body contains 'Confidential'", and by recipient domain.
// The composer shows `because` next to the locked Encrypt toggle, so the user knows why.
import type { EncryptionRule } from './effective-policy.js';

export interface DraftFacts {
  subject: string;
  text: string;
  recipients: readonly string[];
}

export interface EncryptionRequirement {
  required: boolean;
  /** In the user's words, e.g. 'The subject contains "Confidential"'; null when not required. */
  because: string | null;
}

function contains(haystack: string, phrase: string): boolean {
  return phrase.length > 0 && haystack.toLocaleLowerCase().includes(phrase.toLocaleLowerCase());
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function reasonFor(rule: EncryptionRule, draft: DraftFacts): string | null {
  switch (rule.kind) {
    case 'subject-contains':
      return contains(draft.subject, rule.phrase) ? `The subject contains "${rule.phrase}"` : null;
    case 'body-contains':
      return contains(draft.text, rule.phrase) ? `The message contains "${rule.phrase}"` : null;
    case 'recipient-domain': {
      const domain = rule.domain.toLowerCase().replace(/^@/, '');
      const hit = draft.recipients.find((address) => domainOf(address) === domain);
      return hit ? `Mail to ${domain} must be encrypted (${hit})` : null;
    }
  }
}

/** The first rule that applies decides the reason shown; any rule makes encryption required. */
export function encryptionRequiredBy(
  rules: readonly EncryptionRule[],
  draft: DraftFacts,
): EncryptionRequirement {
  for (const rule of rules) {
    const because = reasonFor(rule, draft);
    if (because) return { required: true, because };
  }
  return { required: false, because: null };
}
