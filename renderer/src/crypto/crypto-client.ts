// What the UI asks of the crypto worker (ARCHITECTURE.md: core/'s crypto runs in a Web Worker;
// private keys and the key-file password never leave it). The worker implementation answers
// these through postMessage; the UI only ever sees this interface.
import type { OpenReport } from '../../../core/smime/open.js';
import type { SecurityStatus } from '../../../core/api/security-types.js';

export interface RedeemProgress {
  step: 'checking-key' | 'making-signing-key' | 'enrolling' | 'receiving-encryption-keys' | 'saving-key-file';
}

export interface OpenedMessage {
  report: OpenReport;
  /**
   * The innermost MIME entity to show (decrypted and unwrapped from signatures). It lives only in
   * the renderer's memory: never written, never sent to main (invariant 2).
   */
  content: Uint8Array;
  /** The signer's certificate chain (DER, signer first), for the banner's details. */
  signerCertificates: Uint8Array[];
}

export interface CryptoClient {
  /** True while the medium profile keeps this account's key unlocked (no password prompt). */
  isUnlocked(accountId: string): Promise<boolean>;
  /** Opens the key file with the password and, under the medium profile, keeps it unlocked. */
  unlock(accountId: string, password: string): Promise<void>;
  /** Forgets the unlocked key at once (Settings › Security "Lock now", and on window close). */
  lock(accountId: string): Promise<void>;

  /** "Set up Advanced Security": redeem the temporary key and write the key file (seed 003). */
  redeem(
    request: { accountId: string; email: string; temporaryKey: string; password: string },
    onProgress?: (progress: RedeemProgress) => void,
  ): Promise<SecurityStatus>;
  /** "Import an existing key file" copied from another computer (seed 003). */
  importKeyFile(request: {
    accountId: string;
    bytes: Uint8Array;
    password: string;
    /** The password for Sealmail's own key file; may equal `password`. */
    newPassword: string;
  }): Promise<SecurityStatus>;
  /**
   * Settings › Security "Renew" (seed 003): a new signing key and certificate from the KM, asked
   * for with a request signed by the current signing key; the encryption keys stay, so old mail
   * stays readable. The status shows the new certificate and its valid-to date.
   */
  renew(request: { accountId: string; password: string }): Promise<SecurityStatus>;
  changePassword(request: { accountId: string; oldPassword: string; newPassword: string }): Promise<void>;
  /** A standard .p12 protected by `exportPassword`, for another client. */
  exportKeyFile(request: {
    accountId: string;
    password: string;
    exportPassword: string;
  }): Promise<Uint8Array>;

  /**
   * Signs and/or encrypts plain MIME from `mail.compose`. `encryptTo` holds the recipients'
   * certificates; the sender's own is always added so Sent stays readable. Throws KEYFILE_LOCKED
   * when no password is given and the key is not unlocked.
   */
  seal(request: {
    accountId: string;
    raw: Uint8Array;
    sign: boolean;
    encryptTo: Uint8Array[] | null;
    password?: string;
  }): Promise<Uint8Array>;
  /**
   * Decrypts (needs the key: KEYFILE_LOCKED without a password unless unlocked) and verifies,
   * asking main for revocation through `certificates.revocation`. A signed, unencrypted message
   * needs no password.
   */
  open(request: { accountId: string; raw: Uint8Array; password?: string }): Promise<OpenedMessage>;
}
