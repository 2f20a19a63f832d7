// Does the From the reader sees belong to the signer? (Attack classes I1–I3, "Johnny, You Are
// Fired" §4.) Only addr-specs are compared, never display names (I2); a message with several
// From fields or several From mailboxes never matches (I3), because a client may show either;
// and Sender does not stand in for From, because the reader is shown From (RFC 8551 §3.1 leaves
// the choice open; Sealmail takes the strict one).
import type { ErrorInfo } from '../../errors.js';
import { parseMailboxList, sameAddress } from '../../mime/addresses.js';
import { headerValues, type HeaderField } from '../../mime/headers.js';
import { entry } from './verdict.js';

export interface SenderCheck {
  /** The addr-spec of the (single) From mailbox, or null when there is none that can be read. */
  from: string | null;
  fromMatchesSigner: boolean;
  errors: ErrorInfo[];
  warnings: ErrorInfo[];
}

export function checkSender(fields: readonly HeaderField[], signerEmails: readonly string[]): SenderCheck {
  const errors: ErrorInfo[] = [];
  const warnings: ErrorInfo[] = [];
  const fromFields = headerValues(fields, 'from');
  const mailboxes = fromFields.flatMap((value) => parseMailboxList(value));
  const from = mailboxes[0]?.address ?? null;
  let matches = false;
  if (fromFields.length > 1) {
    errors.push(
      entry(
        'SIGNER_MISMATCH',
        `The message has ${fromFields.length} From fields; a signed message may have only one.`,
      ),
    );
  } else if (mailboxes.length > 1) {
    errors.push(
      entry(
        'SIGNER_MISMATCH',
        'The From field names several senders; the signer cannot stand for all of them.',
      ),
    );
  } else if (from === null) {
    errors.push(
      entry('SIGNER_MISMATCH', 'The message has no readable From address to compare with the signer.'),
    );
  } else {
    matches = signerEmails.some((email) => sameAddress(email, from));
    if (!matches) {
      const signer = signerEmails.length > 0 ? signerEmails.join(', ') : 'no address';
      errors.push(
        entry('SIGNER_MISMATCH', `The message claims to be from ${from}, but it was signed by ${signer}.`),
      );
    }
  }
  const senders = headerValues(fields, 'sender').flatMap((value) => parseMailboxList(value));
  if (senders.length > 0 && from !== null && !senders.every((sender) => sameAddress(sender.address, from))) {
    warnings.push(
      entry(
        'SIGNER_MISMATCH',
        `The message was sent by ${senders[0].address} on behalf of ${from}; only From is compared with the signer.`,
      ),
    );
  }
  return { from, fromMatchesSigner: matches, errors, warnings };
}
