// A new encryption key with "Renew" (issue 6, seed 003: certificates last a year and the client
// renews before they end). The encryption key pair is made and archived by the KM (RFC 7030 §4.4
// serverkeygen), so renewing it means asking the KM for a new one. Like the desktop's
// simplereenroll (signed-reenroll.ts) the request proves who asks at the message layer: a CMS
// SignedData (RFC 5652 §5), signed by the signing key the renewal just made, whose content names
// the operation and the mailbox, so a signed renewal request cannot be passed off as this one.
// The KM answers like serverkeygen after enrollment: every archived key, newest first.
import { SealmailError } from '../errors.js';
import { encryptionKeysOf, signingKeyOf, type KeyFileContents } from '../keyfile/key-file-contents.js';
import type { ServerGeneratedKey } from './est-client.js';
import { encryptionKeysFrom } from './redeem-temporary-key.js';
import { signedReenrollRequest, signingEmailOf } from './signed-reenroll.js';

/** The signed content of a serverkeygen renewal: the operation and the mailbox, UTF-8. */
export function serverKeygenRequestContent(email: string): Uint8Array {
  return new TextEncoder().encode(`sealmail serverkeygen ${email.trim().toLowerCase()}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * The key file contents with a new current encryption key: `send` carries the signed request to
 * the KM's serverkeygen and answers its keys (newest first). The signing key stays as it is; the
 * older encryption keys become 'previous', so old mail stays readable.
 */
export async function renewEncryptionKeyWithSignedRequest(
  contents: KeyFileContents,
  send: (signedRequest: Uint8Array) => Promise<ServerGeneratedKey[]>,
  options: { now?: () => Date } = {},
): Promise<KeyFileContents> {
  const signing = signingKeyOf(contents);
  const email = signingEmailOf(contents);
  const at = options.now ? options.now() : new Date();
  const keys = await send(await signedReenrollRequest(contents, serverKeygenRequestContent(email), at));
  const held = encryptionKeysOf(contents);
  const newest = keys[0];
  if (!newest || held.some((key) => sameBytes(key.certificate, newest.certificate))) {
    throw new SealmailError(
      'SERVER_ERROR',
      'The Key Management server answered without a new encryption key; renew again, or ask your administrator.',
    );
  }
  // A key this file holds but the KM did not send back is kept: it may still open old mail.
  const kept = held
    .filter((key) => !keys.some((answer) => sameBytes(answer.certificate, key.certificate)))
    .map((key) => ({ ...key, encryption: 'previous' as const }));
  return {
    ...contents,
    keys: [...(signing ? [signing] : []), ...encryptionKeysFrom(keys), ...kept],
  };
}
