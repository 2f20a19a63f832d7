// Renewal (issue 4, RFC 7030 §4.2.2): a new signing key and certificate, asked for over
// simplereenroll while the current signing certificate still proves who we are. Every
// encryption key stays in the key file, so old mail stays readable.
import { SealmailError } from '../errors.js';
import { signingKeyOf, type KeyFileContents } from '../keyfile/key-file-contents.js';
import type { EstReenrollClient } from './est-client.js';
import { checkIssuedFor, createSigningRequest, type SigningKeyType } from './signing-request.js';

export async function renewSigningKey(
  est: EstReenrollClient,
  contents: KeyFileContents,
  email: string,
  signingKeyType?: SigningKeyType,
): Promise<KeyFileContents> {
  const current = signingKeyOf(contents);
  if (!current) {
    throw new SealmailError(
      'NOT_FOUND',
      'The key file has no signing key to renew; enroll with `sealmail enroll` and a temporary key instead.',
    );
  }
  const signing = await createSigningRequest(email, signingKeyType);
  const certificate = await est.simpleReenroll(signing.csr);
  checkIssuedFor(certificate, signing);
  const renewed = { privateKey: signing.privateKey, certificate, signing: true, encryption: null };
  // A key that signed and also decrypted (an imported one) keeps decrypting, without signing.
  const others = contents.keys.flatMap((key) =>
    key !== current ? [key] : key.encryption ? [{ ...key, signing: false }] : [],
  );
  return { keys: [renewed, ...others], caCertificates: contents.caCertificates };
}
