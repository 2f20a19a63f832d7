// `km mailbox status` and `list`: seed 003's "Security status" of a mailbox and the valid-from
// and valid-to dates of its certificates, in the JSON shape of the CLI contract.
import type { KmRecords } from '../storage/km-records.js';
import type { CertificateKind, CertificateRecord, MailboxState } from '../storage/records.js';
import { mailboxAddress } from './mailbox-address.js';

export interface CertificateDates {
  serial: string;
  validFrom: string;
  validTo: string;
}

export interface MailboxSecurityStatus {
  email: string;
  status: MailboxState;
  signingCertificate: CertificateDates | null;
  encryptionCertificate: CertificateDates | null;
}

/** The newest certificate of a kind (records come newest first). */
function newest(certificates: readonly CertificateRecord[], kind: CertificateKind): CertificateDates | null {
  const found = certificates.find((certificate) => certificate.kind === kind);
  return found ? { serial: found.serial, validFrom: found.notBefore, validTo: found.notAfter } : null;
}

export async function mailboxStatus(records: KmRecords, emailText: string): Promise<MailboxSecurityStatus> {
  const email = mailboxAddress(emailText);
  const mailbox = await records.mailbox(email);
  const certificates = mailbox ? await records.certificatesOf(email) : [];
  return {
    email,
    status: mailbox?.state ?? 'Undefined',
    signingCertificate: newest(certificates, 'signing'),
    encryptionCertificate: newest(certificates, 'encryption'),
  };
}

export async function listMailboxes(records: KmRecords): Promise<MailboxSecurityStatus[]> {
  const mailboxes = await records.mailboxes();
  return Promise.all(mailboxes.map((mailbox) => mailboxStatus(records, mailbox.email)));
}
