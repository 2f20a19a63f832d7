// The mailbox address as the KM stores it: trimmed and lower-cased, so `Alice@Example.test`
// and `alice@example.test` are one mailbox (RFC 5321 §2.4 lets the local part be case-sensitive,
// but no mail system Sealmail targets treats it so).
import { SealmailError } from '../../core/errors.js';

export function mailboxAddress(text: string): string {
  const email = text.trim().toLowerCase();
  if (!/^[^\s@<>(),;:"[\]\\]+@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(email)) {
    throw new SealmailError('INVALID_REQUEST', `"${text}" is not a mailbox address like alice@example.org.`);
  }
  return email;
}
