// Which sealed copies one encrypted send makes. An enveloped message lists a RecipientInfo (the
// issuer and serial number of the certificate, RFC 5652 §6.2.1) for everyone it is encrypted to,
// so one message encrypted to To, Cc and Bcc would show every To and Cc reader who was in Bcc.
// As RFC 5751 §3.1 (and RFC 5322 §3.6.3's "separate copies" way of Bcc) suggest, the main message
// goes to To and Cc, encrypted to them (and the sender), and each Bcc recipient gets a copy of
// its own, encrypted to that recipient and the sender only, whose SMTP envelope names only them.
// Only one copy is kept in Sent.
import type { RecipientCertificate } from '../../../core/api/security-types.js';

export interface SealedCopy {
  /** The SMTP envelope (RCPT TO). */
  recipients: string[];
  /** The recipients' encryption certificates (the worker adds the sender's own). */
  encryptTo: Uint8Array[];
  /** Whether the outbox appends this copy to Sent: true for exactly one copy. */
  saveToSent: boolean;
}

/**
 * `certificates` maps lower-cased addresses to their usable encryption certificate. Bcc
 * addresses that also appear in To or Cc need no copy of their own. When there is no To or Cc,
 * the first Bcc copy is the one kept in Sent (it names only that recipient and the sender).
 */
export function sealedCopies(
  message: { to: readonly string[]; cc: readonly string[]; bcc: readonly string[] },
  certificates: ReadonlyMap<string, Uint8Array>,
): SealedCopy[] {
  const certificatesOf = (addresses: readonly string[]): Uint8Array[] =>
    addresses.flatMap((address) => {
      const certificate = certificates.get(address.toLowerCase());
      return certificate ? [certificate] : [];
    });
  const seen = new Set<string>();
  const visible = [...message.to, ...message.cc].filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const hidden = message.bcc.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const copies: SealedCopy[] = [];
  if (visible.length > 0) {
    copies.push({ recipients: visible, encryptTo: certificatesOf(visible), saveToSent: true });
  }
  for (const address of hidden) {
    copies.push({
      recipients: [address],
      encryptTo: certificatesOf([address]),
      saveToSent: copies.length === 0,
    });
  }
  return copies;
}

/** 'recipients.check' answers → lower-cased address to usable encryption certificate. */
export function usableCertificates(
  answers: readonly RecipientCertificate[],
): ReadonlyMap<string, Uint8Array> {
  return new Map(
    answers.flatMap((answer) =>
      answer.state === 'ready' && answer.certificate
        ? [[answer.address.toLowerCase(), answer.certificate] as const]
        : [],
    ),
  );
}
