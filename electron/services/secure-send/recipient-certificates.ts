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

/** Seed 004's reasons a recipient cannot get encrypted mail, as data for the app's chips. */
export type LackingState = 'no-certificate' | 'revoked' | 'expired' | 'untrusted';

export type RecipientLookup =
  | {
      email: string;
      usable: true;
      certificate: Uint8Array;
      cautions: ErrorInfo[];
      /** Where the usable certificate came from. */
      source: 'km' | 'harvested';
    }
  | {
      email: string;
      usable: false;
      state: LackingState;
      reason: string;
      /** The certificate found and refused (revoked, expired, untrusted), when one was read. */
      certificate?: Uint8Array;
    };

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

async function check(
  email: string,
  der: Uint8Array,
  source: 'km' | 'harvested',
  sources: LookupSources,
): Promise<RecipientLookup> {
  let info: CertificateInfo;
  try {
    info = readCertificateInfo(der, `The certificate of ${email}`);
  } catch (error) {
    return { email, usable: false, state: 'untrusted', reason: (error as Error).message };
  }
  if (!info.emails.some((named) => named.toLowerCase() === email.toLowerCase())) {
    return {
      email,
      usable: false,
      state: 'untrusted',
      reason: `the certificate found is for ${info.emails.join(', ') || info.subject}`,
      certificate: info.der,
    };
  }
  const chain = await buildChain(info, [], [...sources.anchors]);
  if (!chain.trusted)
    return {
      email,
      usable: false,
      state: 'untrusted',
      reason: `the certificate is not trusted: ${chain.reason}`,
    };
  try {
    const cautions = await checkRecipientCertificates([info], sources.crlCache, sources.now);
    return { email, usable: true, certificate: info.der, cautions, source };
  } catch (error) {
    if (error instanceof SealmailError && error.code === 'RECIPIENT_UNUSABLE') {
      // checkRecipientCertificates refuses a certificate outside its validity or a revoked one.
      const outOfDate = sources.now > info.notAfter || sources.now < info.notBefore;
      return {
        email,
        usable: false,
        state: outOfDate ? 'expired' : 'revoked',
        reason: error.message,
        certificate: info.der,
      };
    }
    throw error;
  }
}

export async function lookUpRecipient(email: string, sources: LookupSources): Promise<RecipientLookup> {
  let kmSays: string | null = null;
  // The KM's verdict on the certificate it holds; null when it holds none for this mailbox.
  let kmRefused: LackingRecipient | null = null;
  if (sources.km) {
    const answer = await lookUpInKmDirectory(sources.km, email);
    if (answer.certificate) {
      const checked = await check(email, answer.certificate, 'km', sources);
      if (checked.usable) return checked;
      kmSays = checked.reason;
      kmRefused = checked;
    } else {
      kmSays = `the KM has no encryption certificate for this mailbox (status ${answer.status})`;
    }
  }
  const harvested = await sources.harvested(email.toLowerCase());
  if (harvested) {
    const checked = await check(email, harvested, 'harvested', sources);
    if (checked.usable || !kmSays) return checked;
    // The KM's own certificate decides the state when it had one; else the harvested one does.
    const judged = kmRefused ?? checked;
    return {
      email,
      usable: false,
      state: judged.state,
      reason: `${kmSays}; the certificate from their signed mail: ${checked.reason}`,
      ...(judged.certificate ? { certificate: judged.certificate } : {}),
    };
  }
  return {
    email,
    usable: false,
    state: kmRefused?.state ?? 'no-certificate',
    ...(kmRefused?.certificate ? { certificate: kmRefused.certificate } : {}),
    reason: kmSays
      ? `${kmSays}, and no signed mail from them has been verified`
      : 'no certificate is known: no KM was given (--km) and no signed mail from them has been verified',
  };
}
