// Builds the signer's chain up to a configured trust anchor and checks each link (RFC 5280 §6.1,
// reduced to what S/MIME needs): the issuer's name matches, its signature over the child
// verifies, and every issuer but the anchor is a CA allowed to sign certificates. pkijs's own
// chain engine is not used because its failures are untyped strings; here every failure says,
// in the user's words, why the chain is not trusted.
import { cryptoEngine } from '../../crypto/engine.js';
import { bytesEqual } from '../../mime/message-bytes.js';
import type { CertificateInfo } from '../certificate-info.js';

export type ChainResult =
  { trusted: true; path: CertificateInfo[] } | { trusted: false; reason: string; path: CertificateInfo[] };

/** Longer chains than this are not something any CA issues; it also bounds the search. */
const maxChainLength = 8;

async function signedBy(child: CertificateInfo, issuer: CertificateInfo): Promise<boolean> {
  if (!child.certificate.issuer.isEqual(issuer.certificate.subject)) return false;
  try {
    return await child.certificate.verify(issuer.certificate, cryptoEngine());
  } catch {
    // An unsupported or broken signature on a candidate issuer means it is not the issuer.
    return false;
  }
}

function mayIssue(info: CertificateInfo): boolean {
  // RFC 5280 §4.2.1.9 and §4.2.1.3: an intermediate must be a CA and, when keyUsage is present,
  // have keyCertSign.
  return info.isCa && (info.keyUsage === null || info.keyUsage.keyCertSign);
}

/**
 * Finds a path from `leaf` through `intermediates` (the certificates the message carried) to one
 * of `anchors`. A message's certificates are never trusted on their own say-so, so a
 * self-signed signer is untrusted unless that very certificate is an anchor (attack C4).
 */
export async function buildChain(
  leaf: CertificateInfo,
  intermediates: readonly CertificateInfo[],
  anchors: readonly CertificateInfo[],
): Promise<ChainResult> {
  if (anchors.some((anchor) => bytesEqual(anchor.der, leaf.der))) return { trusted: true, path: [leaf] };
  if (anchors.length === 0) {
    return { trusted: false, reason: 'no trust anchors are configured', path: [leaf] };
  }
  const path: CertificateInfo[] = [leaf];
  let current = leaf;
  while (path.length < maxChainLength) {
    for (const anchor of anchors) {
      if (await signedBy(current, anchor)) {
        path.push(anchor);
        return { trusted: true, path };
      }
    }
    let next: CertificateInfo | undefined;
    for (const candidate of intermediates) {
      if (path.some((seen) => bytesEqual(seen.der, candidate.der))) continue;
      if (await signedBy(current, candidate)) {
        next = candidate;
        break;
      }
    }
    if (!next) {
      const reason = current.selfIssued
        ? `the chain ends at the self-signed certificate "${current.subject}", which is not a trusted authority`
        : `no trusted authority issued "${current.subject}" (issuer "${current.issuer}")`;
      return { trusted: false, reason, path };
    }
    if (!mayIssue(next)) {
      return {
        trusted: false,
        reason: `"${next.subject}" signed "${current.subject}" but is not a certificate authority`,
        path,
      };
    }
    path.push(next);
    current = next;
  }
  return { trusted: false, reason: 'the certificate chain is too long', path };
}

/** The certificates of a path that are not valid at `at`, each with its problem. */
export function validityProblems(path: readonly CertificateInfo[], at: Date): string[] {
  const problems: string[] = [];
  for (const info of path) {
    if (at < info.notBefore)
      problems.push(`"${info.subject}" is not valid before ${info.notBefore.toISOString()}`);
    else if (at > info.notAfter) problems.push(`"${info.subject}" expired on ${info.notAfter.toISOString()}`);
  }
  return problems;
}
