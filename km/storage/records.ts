// What the KM keeps, in the words of seed 003: mailboxes with their state, one-time temporary
// keys (hashed), issued certificates, archived encryption keys, CRLs and the audit log.

/** Seed 003's "Security status" of a mailbox. Undefined mailboxes have no row. */
export const mailboxStates = ['Undefined', 'New', 'Active', 'Disabled', 'KeyRecoveryInProgress'] as const;
export type MailboxState = (typeof mailboxStates)[number];

export interface MailboxRecord {
  email: string;
  state: MailboxState;
  updatedAt: string;
}

/** `enroll` for a first enable (or re-enable after revoke), `recover` for key recovery. */
export type TemporaryKeyPurpose = 'enroll' | 'recover';

export interface TemporaryKeyRecord {
  keyHash: string;
  email: string;
  purpose: TemporaryKeyPurpose;
  issuedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
  /** Set when a newer key for the same mailbox replaced this one before it was redeemed. */
  withdrawnAt: string | null;
  /** Set when EST serverkeygen handed out the encryption keys of this redemption. */
  collectedAt: string | null;
}

export type CertificateKind = 'signing' | 'encryption';

/** RFC 5280 §5.3.1 CRLReason names the CLI accepts for `revoke`. */
export const revocationReasons = [
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
] as const;
export type RevocationReason = (typeof revocationReasons)[number];

export interface CertificateRecord {
  /** Lower-case hex of the serial number's INTEGER content. */
  serial: string;
  email: string;
  kind: CertificateKind;
  der: Uint8Array;
  notBefore: string;
  notAfter: string;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
}

export interface ArchivedKeyRecord {
  serial: string;
  email: string;
  /** The PKCS#8 private key, encrypted under the KM's archive key (see km/secrets). */
  wrappedKey: string;
  archivedAt: string;
}

export interface AuditEntry {
  at: string;
  /** Who: the administrators whose passwords authorised the action, or the enrolling mailbox. */
  actor: string;
  /** What: enable, revoke, recover, redeem, init, crl … */
  action: string;
  subject: string;
  detail: string;
}

export interface CrlRecord {
  crlNumber: number;
  der: Uint8Array;
  thisUpdate: string;
  nextUpdate: string;
}
