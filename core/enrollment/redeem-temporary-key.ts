// The client side of "redeem a temporary key" (issue 4, seed 003): check the key's form, make
// the signing key and its request, enroll over EST, collect the KM-generated encryption keys and
// build the key file contents. Nothing is written here: the caller saves the contents only
// after every step succeeded, so a failure leaves no half-made key file.
import { SealmailError } from '../errors.js';
import type { KeyFileContents, KeyFileKey } from '../keyfile/key-file-contents.js';
import type { EstClient, ServerGeneratedKey } from './est-client.js';
import { checkIssuedFor, createSigningRequest, type SigningKeyType } from './signing-request.js';
import { normalizeTemporaryKey } from './temporary-key.js';

export interface RedeemRequest {
  email: string;
  /** As the user typed it: spaces, dashes and case do not matter. */
  temporaryKey: string;
  signingKeyType?: SigningKeyType;
}

/** Every archived encryption key: the newest receives new mail, the older ones read old mail. */
export function encryptionKeysFrom(keys: readonly ServerGeneratedKey[]): KeyFileKey[] {
  return keys.map((key, i) => ({
    privateKey: key.privateKey,
    certificate: key.certificate,
    signing: false,
    encryption: i === 0 ? 'current' : 'previous',
  }));
}

function mailboxOf(typed: string): string {
  const email = typed.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `"${typed}" is not an e-mail address; pass the mailbox, like alice@example.org.`,
    );
  }
  return email;
}

export async function redeemTemporaryKey(est: EstClient, request: RedeemRequest): Promise<KeyFileContents> {
  // A typo is reported before anything is sent, so it costs no rate-limited attempt.
  const credentials = {
    email: mailboxOf(request.email),
    temporaryKey: normalizeTemporaryKey(request.temporaryKey),
  };
  const caCertificates = await est.caCertificates();
  const signing = await createSigningRequest(credentials.email, request.signingKeyType);
  const signingCertificate = await est.simpleEnroll(signing.csr, credentials);
  checkIssuedFor(signingCertificate, signing);
  const encryption = await est.serverKeygen(credentials).catch((error: unknown) => {
    // The key is spent by now; say so, and how to get a new one (the archive keeps the keys).
    const info = error instanceof SealmailError ? error : null;
    throw new SealmailError(
      info?.code ?? 'INTERNAL',
      `${info?.message ?? String(error)} The signing certificate was issued but the encryption keys did not arrive, ` +
        'so no key file was written; ask your administrator to run `sealmail km mailbox recover` for a new temporary key.',
      { cause: error },
    );
  });
  return {
    keys: [
      { privateKey: signing.privateKey, certificate: signingCertificate, signing: true, encryption: null },
      ...encryptionKeysFrom(encryption),
    ],
    caCertificates,
  };
}
