// Finds and checks each recipient's encryption certificate before sending (issue 4): first the
// KM directory, then the certificates harvested from verified signed mail. A certificate is
// usable only if it chains to a trusted CA (the KM CA in the key file), is valid now, names the
// recipient, and is not revoked according to the cached CRL (recipient-check.ts, issue 5).
import { SealmailError, type ErrorInfo } from '../../../core/errors.js';
import { buildChain } from '../../../core/pki/chain/build-chain.js';
import { readCertificateInfo, type CertificateInfo } from '../../../core/pki/certificate-info.js';
import type { CrlCache } from '../crl/crl-cache.js';
import { checkRecipientCertificates } from '../crl/recipient-check.js';
import type { KmEndpoint } from '../enrollment/km-address.js';
import { lookUpInKmDirectory } from './km-directory.js';

export type RecipientLookup =
  | { email: string; usable: true; certificate: Uint8Array; cautions: ErrorInfo[] }
  | { email: string; usable: false; reason: string };

/** A recipient without a usable certificate, and why. */
export type LackingRecipient = Extract<RecipientLookup, { usable: false }>;

export interface LookupSources {
  km: KmEndpoint | null;
  /** Certificates harvested from verified signed mail, by lower-case address. */
  harvested: (email: string) => Promise<Uint8Array | null>;
  anchors: readonly CertificateInfo[];
  crlCache: CrlCache | null;
  now: Date;
}

async function check(email: string, der: Uint8Array, sources: LookupSources): Promise<RecipientLookup> {
  let info: CertificateInfo;
  try {
    info = readCertificateInfo(der, `The certificate of ${email}`);
  } catch (error) {
    return { email, usable: false, reason: (error as Error).message };
  }
  if (!info.emails.some((named) => named.toLowerCase() === email.toLowerCase())) {
    return {
      email,
      usable: false,
      reason: `the certificate found is for ${info.emails.join(', ') || info.subject}`,
    };
  }
  const chain = await buildChain(info, [], [...sources.anchors]);
  if (!chain.trusted)
    return { email, usable: false, reason: `the certificate is not trusted: ${chain.reason}` };
  try {
    const cautions = await checkRecipientCertificates([info], sources.crlCache, sources.now);
    return { email, usable: true, certificate: info.der, cautions };
  } catch (error) {
    if (error instanceof SealmailError && error.code === 'RECIPIENT_UNUSABLE') {
      return { email, usable: false, reason: error.message };
    }
    throw error;
  }
}

export async function lookUpRecipient(email: string, sources: LookupSources): Promise<RecipientLookup> {
  let kmSays: string | null = null;
  if (sources.km) {
    const answer = await lookUpInKmDirectory(sources.km, email);
    if (answer.certificate) {
      const checked = await check(email, answer.certificate, sources);
      if (checked.usable) return checked;
      kmSays = checked.reason;
    } else {
      kmSays = `the KM has no encryption certificate for this mailbox (status ${answer.status})`;
    }
  }
  const harvested = await sources.harvested(email.toLowerCase());
  if (harvested) {
    const checked = await check(email, harvested, sources);
    if (checked.usable || !kmSays) return checked;
    return {
      email,
      usable: false,
      reason: `${kmSays}; the certificate from their signed mail: ${checked.reason}`,
    };
  }
  return {
    email,
    usable: false,
    reason: kmSays
      ? `${kmSays}, and no signed mail from them has been verified`
      : 'no certificate is known: no KM was given (--km) and no signed mail from them has been verified',
  };
}
