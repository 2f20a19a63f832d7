// Renewal from a place without the TLS client certificate (issue 6, seed 003: certificates last a
// year and the client asks to renew before they expire). The desktop's signing key lives only in
// the renderer's crypto worker (ARCHITECTURE.md invariant 1) while TLS to the KM is main's, so
// RFC 7030 §4.2.2's proof by TLS client authentication is impossible there. The proof moves to
// the message layer instead: the new PKCS#10 travels as the encapsulated content of a CMS
// SignedData (RFC 5652 §5) signed by the CURRENT signing key and certificate, with a signingTime
// (RFC 5652 §11.3) the KM holds to a short window so a captured request cannot be replayed later.
// This is not CMC (RFC 5272): the body is plain signed-data, sent as
// `application/pkcs7-mime; smime-type=signed-data` (RFC 8551 §3.2.2), not smime-type=CMC-request.
// The key file is renewed exactly as `sealmail renew` renews it (renew-signing-key.ts).
import { SealmailError } from '../errors.js';
import { signingKeyOf, type KeyFileContents } from '../keyfile/key-file-contents.js';
import { readCertificateInfo } from '../pki/certificate-info.js';
import { createSignature } from '../smime/sign/create-signature.js';
import type { SigningIdentity } from '../smime/sign/signing-identity.js';
import { signingIdentityOfKeyFile } from '../smime/sign/key-file-identity.js';
import type { EstReenrollClient } from './est-client.js';
import { renewSigningKey } from './renew-signing-key.js';
import type { SigningKeyType } from './signing-request.js';

/** The Content-Type of the signed request: RFC 8551 §3.2.2 signed-data, deliberately not CMC. */
export const signedReenrollContentType = 'application/pkcs7-mime; smime-type=signed-data';

function noSigningKey(): SealmailError {
  return new SealmailError(
    'NOT_FOUND',
    'The key file has no signing key to renew with; set up Advanced Security with a temporary key instead.',
  );
}

function currentSigner(contents: KeyFileContents): Promise<SigningIdentity> {
  return signingIdentityOfKeyFile(contents, noSigningKey);
}

/**
 * The signed reenroll request: ContentInfo(SignedData) whose eContent is the PKCS#10 `csr` (DER),
 * signed by the key file's current signing key, with signingTime `at`.
 */
export async function signedReenrollRequest(
  contents: KeyFileContents,
  csr: Uint8Array,
  at: Date = new Date(),
): Promise<Uint8Array> {
  return createSignature(csr, currentSigner(contents), { detached: false, signingTime: at });
}

/** The mailbox the current signing certificate names (RFC 7030 §4.2.2: the same subject/SAN). */
export function signingEmailOf(contents: KeyFileContents): string {
  const key = signingKeyOf(contents);
  if (!key) throw noSigningKey();
  const email = readCertificateInfo(key.certificate, 'The signing certificate').emails[0];
  if (!email) {
    throw new SealmailError(
      'MALFORMED_CERTIFICATE',
      'The signing certificate names no mailbox, so it cannot be renewed; set up Advanced Security again.',
    );
  }
  return email.toLowerCase();
}

/**
 * The renewed key file contents: a new signing key and certificate replace the old signing key;
 * every encryption key stays, so old mail stays readable. `send` carries the signed request to
 * the KM's simplereenroll and answers the issued certificate (DER).
 */
export async function renewWithSignedRequest(
  contents: KeyFileContents,
  send: (signedRequest: Uint8Array) => Promise<Uint8Array>,
  options: { signingKeyType?: SigningKeyType; now?: () => Date } = {},
): Promise<KeyFileContents> {
  const now = options.now ?? (() => new Date());
  const est: EstReenrollClient = {
    async simpleReenroll(csr) {
      return send(await signedReenrollRequest(contents, csr, now()));
    },
  };
  return renewSigningKey(est, contents, signingEmailOf(contents), options.signingKeyType);
}
