// The key archive (issue 4, seed 003 "Recovering Advanced Security Keys"): every encryption
// private key the KM generates is kept, sealed under the archive key, so a recovered user gets
// back every key old mail was encrypted to.
import { open, seal } from '../secrets/sealed-box.js';
import type { KmRecords } from '../storage/km-records.js';

const label = (serial: string): string => `archived key ${serial}`;

export interface ArchivedEncryptionKey {
  certificate: Uint8Array;
  /** PKCS#8 DER. */
  privateKey: Uint8Array;
}

export function sealArchivedKey(archiveKey: Uint8Array, serial: string, pkcs8: Uint8Array): string {
  return seal(archiveKey, pkcs8, label(serial));
}

/** Every archived encryption key of the mailbox with its certificate, oldest first. */
export async function archivedEncryptionKeys(
  records: KmRecords,
  archiveKey: Uint8Array,
  email: string,
): Promise<ArchivedEncryptionKey[]> {
  const certificates = new Map((await records.certificatesOf(email)).map((c) => [c.serial, c.der]));
  return (await records.archivedKeysOf(email)).map((record) => ({
    certificate: certificates.get(record.serial) ?? new Uint8Array(),
    privateKey: open(archiveKey, record.wrappedKey, label(record.serial)),
  }));
}
