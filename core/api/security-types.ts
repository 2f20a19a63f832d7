// The shapes of Advanced Security that cross IPC (issue 6). Only public material travels here:
// certificates, the key file's ENCRYPTED bytes, ciphertext and verdicts (ARCHITECTURE.md
// invariant 1). Private keys and the key-file password stay in the renderer's crypto worker.

/** One certificate as Settings › Security shows it. Dates are ISO 8601. */
export interface CertificateView {
  role: 'signing' | 'encryption' | 'previous-encryption' | 'ca';
  subject: string;
  email: string | null;
  issuer: string;
  /** Lower-case hex. */
  serial: string;
  validFrom: string;
  validTo: string;
  /** SHA-256 of the DER, hex, for comparing with what the administrator sees. */
  fingerprint: string;
  /**
   * The certificate itself (public). The crypto worker takes the 'ca' ones as trust anchors to
   * verify a signed, unencrypted message without asking for the key-file password.
   */
  der: Uint8Array;
}

/**
 * Seed 003's states as the user sees them. 'not-enrolled': no key file yet. 'expiring': within
 * the renewal window (renew now). 'revoked': the CRL lists the signing certificate.
 */
export type SecurityState = 'not-enrolled' | 'active' | 'expiring' | 'expired' | 'revoked';

export interface SecurityStatus {
  accountId: string;
  state: SecurityState;
  /** Why, in words, when state is not 'active' (e.g. the revocation date and reason). */
  detail: string | null;
  certificates: CertificateView[];
  /** The KM this account enrolls with; null until one is set (or policy sets it). */
  km: { url: string; caPinned: boolean } | null;
  /** The user's defaults for new messages ("Add digital signature", "Encrypt message contents…"). */
  defaults: { sign: boolean; encrypt: boolean };
}

/** Why a recipient cannot receive encrypted mail: seed 004's reasons. */
export type RecipientCertificateState = 'ready' | 'no-certificate' | 'revoked' | 'expired' | 'untrusted';

export interface RecipientCertificate {
  /** As asked, lower-cased. */
  address: string;
  state: RecipientCertificateState;
  /** In words: "revoked on 3 May 2026 (keyCompromise)", "no certificate in the directory". */
  reason: string | null;
  /** DER of the usable encryption certificate; present only when state is 'ready'. */
  certificate: Uint8Array | null;
  source: 'km' | 'harvested' | null;
}

/** core/pki/revocation.ts's RevocationAnswer with dates as ISO strings, for the wire. */
export type RevocationView =
  | { status: 'good'; warning: string | null }
  | { status: 'revoked'; revokedAt: string; reason: string | null }
  | { status: 'unknown'; reason: string };

/** EST (RFC 7030) relayed by main over its pinned TLS; main does not parse or keep the body. */
/** simplereenroll carries a CMS SignedData around the PKCS#10 (issue 6: renewal from the desktop). */
export type EstOperation = 'cacerts' | 'simpleenroll' | 'serverkeygen' | 'simplereenroll';

export interface EstReply {
  contentType: string;
  body: Uint8Array;
}
