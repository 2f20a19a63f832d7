// One message as the header cache stores it. A sync builds these on the IMAP thread and hands
// them in batches to the cache writer thread: a flat tuple of primitives is cheap to copy between
// threads (structured clone) and needs no conversion until the row is bound to SQL.
import type { MessageSummary } from '../../../core/api/types.js';

export type HeaderRow = [
  uid: number,
  from: string,
  to: string[],
  subject: string,
  /** Milliseconds since the epoch: what the list sorts on, so no ISO string is built per message. */
  dateMs: number,
  flags: string[],
  size: number,
  security: MessageSummary['security'],
  hasAttachments: boolean,
];

/** Written by the main thread's cache and by the writer thread: one statement, one column order. */
export const upsertMessageSql = `INSERT OR REPLACE INTO messages (account_id, folder, uid, from_address,
  to_addresses, subject, date_ms, flags, size, security, has_attachments)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export type UpsertMessageParams = [
  string,
  string,
  number,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  number,
];

export function upsertMessageParams(accountId: string, path: string, row: HeaderRow): UpsertMessageParams {
  const [uid, from, to, subject, dateMs, flags, size, security, hasAttachments] = row;
  return [
    accountId,
    path,
    uid,
    from,
    JSON.stringify(to),
    subject,
    Number.isFinite(dateMs) ? dateMs : 0,
    JSON.stringify(flags),
    size,
    security,
    hasAttachments ? 1 : 0,
  ];
}

export function rowFromSummary(m: MessageSummary): HeaderRow {
  return [m.uid, m.from, m.to, m.subject, Date.parse(m.date), m.flags, m.size, m.security, m.hasAttachments];
}

export function summaryFromRow(row: HeaderRow): MessageSummary {
  const [uid, from, to, subject, dateMs, flags, size, security, hasAttachments] = row;
  return {
    uid,
    from,
    to,
    subject,
    date: new Date(dateMs).toISOString(),
    flags,
    size,
    security,
    hasAttachments,
  };
}
