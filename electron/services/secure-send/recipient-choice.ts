// What happens to recipients without a usable certificate: seed 004's three choices, offered by
// Exchange's Advanced Security ("remove the recipients ..., send the message unencrypted to all
// recipients on the list, or cancel sending the message").
import { SealmailError } from '../../../core/errors.js';
import type { LackingRecipient, RecipientLookup } from './recipient-certificates.js';

export const lacksCertificateChoices = ['remove', 'send-unencrypted', 'cancel'] as const;
export type LacksCertificateChoice = (typeof lacksCertificateChoices)[number];

export function lacksCertificateChoice(typed: string): LacksCertificateChoice {
  const found = lacksCertificateChoices.find((choice) => choice === typed);
  if (!found) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `--if-recipient-lacks-certificate must be one of ${lacksCertificateChoices.join(', ')}, not "${typed}".`,
    );
  }
  return found;
}

export type SendPlan =
  | { encrypt: true; keep: string[]; certificates: Uint8Array[]; dropped: LackingRecipient[] }
  | { encrypt: false; keep: string[]; dropped: LackingRecipient[]; unencryptedBecause: LackingRecipient[] };

export function planSend(lookups: readonly RecipientLookup[], choice: LacksCertificateChoice): SendPlan {
  const lacking = lookups.flatMap((lookup) => (lookup.usable ? [] : [lookup]));
  const usable = lookups.flatMap((lookup) => (lookup.usable ? [lookup] : []));
  const everyone = lookups.map((lookup) => lookup.email);
  if (lacking.length === 0) {
    return { encrypt: true, keep: everyone, certificates: usable.map((u) => u.certificate), dropped: [] };
  }
  if (choice === 'send-unencrypted') {
    return { encrypt: false, keep: everyone, dropped: [], unencryptedBecause: lacking };
  }
  const lines = lacking.map((lookup) => `  ${lookup.email}: ${lookup.reason}`);
  if (choice === 'remove' && usable.length > 0) {
    return {
      encrypt: true,
      keep: usable.map((u) => u.email),
      certificates: usable.map((u) => u.certificate),
      dropped: lacking,
    };
  }
  const why =
    choice === 'remove'
      ? 'no recipient would be left after removing those without a usable certificate'
      : 'some recipients have no usable certificate';
  throw new SealmailError(
    'RECIPIENT_UNUSABLE',
    `Nothing was sent: ${why}:\n${lines.join('\n')}\nUse --if-recipient-lacks-certificate remove to leave them out, or send-unencrypted to send to everyone in the clear.`,
  );
}
