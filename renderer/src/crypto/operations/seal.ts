// Signs and/or encrypts plain MIME from `mail.compose`, as `sealmail mail send --sign --encrypt`
// does (electron/services/secure-send/secure-send.ts): signed inside encrypted, AES-256-CBC, and
// the sender's own current encryption certificate always a recipient so the Sent copy stays
// readable (ARCHITECTURE.md "Sending"). Encrypting alone needs no private key, so it needs no
// password: the sender's certificate then comes from the public certificates main keeps.
import { SealmailError } from '../../../../core/errors.js';
import { encryptionKeysOf, type KeyFileContents } from '../../../../core/keyfile/key-file.js';
import { encryptContentParts } from '../../../../core/smime/envelope/index.js';
import { sealMessage, type Encryptor } from '../../../../core/smime/seal.js';
import type { SigningIdentity } from '../../../../core/smime/sign/signing-identity.js';
import { signingIdentityOfKeyFile } from '../../../../core/smime/sign/key-file-identity.js';
import type { KeyAccess } from './key-access.js';
import type { Invoke } from './worker-ipc.js';

export interface SealRequest {
  accountId: string;
  raw: Uint8Array;
  sign: boolean;
  encryptTo: Uint8Array[] | null;
  password?: string;
}

export function signingIdentityOf(contents: KeyFileContents): Promise<SigningIdentity> {
  return signingIdentityOfKeyFile(
    contents,
    () =>
      new SealmailError(
        'NO_MATCHING_KEY',
        'Your key file has no signing key, so the message cannot be signed; set up Advanced Security again.',
      ),
  );
}

function noOwnCertificate(): SealmailError {
  return new SealmailError(
    'NO_MATCHING_KEY',
    'You have no encryption certificate of your own, so the copy in Sent could not be read; set up Advanced Security again.',
  );
}

/** The sender's current encryption certificate: from the key in hand, else from main's copy. */
async function ownEncryptionCertificate(
  invoke: Invoke,
  accountId: string,
  contents: KeyFileContents | null,
): Promise<Uint8Array> {
  if (contents) {
    const own = encryptionKeysOf(contents)[0];
    if (!own) throw noOwnCertificate();
    return own.certificate;
  }
  const status = await invoke('security.status', { accountId });
  const own = status.certificates.find((certificate) => certificate.role === 'encryption');
  if (!own) throw noOwnCertificate();
  return own.der;
}

function encryptorTo(certificates: readonly Uint8Array[]): Encryptor {
  return async (entity) => ({
    der: await encryptContentParts(entity, [...certificates], { cipher: 'aes-256-cbc' }),
    smimeType: 'enveloped-data',
  });
}

export async function seal(invoke: Invoke, keys: KeyAccess, request: SealRequest): Promise<Uint8Array> {
  const { accountId } = request;
  if (!request.sign && request.encryptTo === null) {
    throw new SealmailError('INVALID_REQUEST', 'Nothing to do: choose signing, encryption or both.');
  }
  const policy = await invoke('policy.get', {});
  // Signing needs the private key; encrypting alone does not, but uses the key if it is at hand.
  const contents =
    request.sign || request.password !== undefined
      ? await keys.keys(accountId, request.password)
      : await keys.kept(accountId);
  const encrypt =
    request.encryptTo === null
      ? undefined
      : encryptorTo([...request.encryptTo, await ownEncryptionCertificate(invoke, accountId, contents)]);
  return sealMessage(request.raw, {
    sign: request.sign && contents ? { identity: await signingIdentityOf(contents) } : undefined,
    encrypt,
    maxMessageBytes: policy.maxMessageBytes.value,
  });
}
