// Certificates harvested from verified signed mail (issue 4: the second place `mail send
// --encrypt` looks): one DER file per address in <home>/harvested-certificates. Only a signer
// whose signature verified and whose certificate chained to a trusted CA may be saved here; the
// sender re-checks each one (chain, validity, CRL) before encrypting to it anyway.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCertificateInfo } from '../../../core/pki/certificate-info.js';
import type { SealmailHome } from '../home.js';

export function harvestedCertificatesDir(home: SealmailHome): string {
  return join(home.root, 'harvested-certificates');
}

/** A file name that cannot leave the folder, whatever the address holds. */
function fileOf(home: SealmailHome, email: string): string {
  return join(harvestedCertificatesDir(home), `${encodeURIComponent(email.toLowerCase())}.der`);
}

export async function harvestedCertificate(home: SealmailHome, email: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(fileOf(home, email)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Saves (atomically, replacing an older one) the encryption certificate of a verified signer. */
export async function saveHarvestedCertificate(
  home: SealmailHome,
  email: string,
  der: Uint8Array,
): Promise<void> {
  await mkdir(harvestedCertificatesDir(home), { recursive: true, mode: 0o700 });
  const file = fileOf(home, email);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, der);
  await rename(temporary, file);
}

function notBefore(der: Uint8Array): number {
  try {
    return readCertificateInfo(der).notBefore.getTime();
  } catch {
    // An unreadable file is replaced by the certificate just verified.
    return Number.NEGATIVE_INFINITY;
  }
}

/**
 * Remembers a verified signer's encryption certificate under each address it names, unless a
 * newer one (later notBefore) is already known: opening an old message after the sender was
 * re-enrolled must not bring back the certificate of a key they no longer use. Returns the
 * addresses it was saved for.
 */
export async function harvestCertificate(home: SealmailHome, der: Uint8Array): Promise<string[]> {
  const info = readCertificateInfo(der, 'The signer’s encryption certificate');
  const saved: string[] = [];
  for (const email of new Set(info.emails.map((named) => named.toLowerCase()))) {
    const known = await harvestedCertificate(home, email);
    if (known && notBefore(known) > info.notBefore.getTime()) continue;
    await saveHarvestedCertificate(home, email, der);
    saved.push(email);
  }
  return saved;
}
