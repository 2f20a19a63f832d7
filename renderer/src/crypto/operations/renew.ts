// "Renew" in Settings › Security (issue 6, seed 003: certificates last a year and the client asks
// to renew before they expire). `sealmail renew` proves who it is with the current signing key as
// its TLS client certificate; here that key exists only in this worker (ARCHITECTURE.md
// invariant 1) and the TLS connection is main's, so the proof moves into the message: the new
// PKCS#10 is wrapped in a CMS SignedData signed by the current key
// (core/enrollment/signed-reenroll.ts) and main relays it as km.est simplereenroll, with no
// client certificate and no temporary key. The new signing key is made here and never leaves.
// The encryption certificate ends at the same time, and its key is the KM's to make and archive,
// so the new signing key then signs a serverkeygen request for a NEW encryption key
// (core/enrollment/signed-serverkeygen.ts): it becomes 'current', the older keys 'previous', so
// old mail stays readable. Nothing is saved until both certificates arrived.
import type { SecurityStatus } from '../../../../core/api/security-types.js';
import { certificatesOfCertsOnly, serverGeneratedKeys } from '../../../../core/enrollment/est-messages.js';
import { renewWithSignedRequest } from '../../../../core/enrollment/signed-reenroll.js';
import { renewEncryptionKeyWithSignedRequest } from '../../../../core/enrollment/signed-serverkeygen.js';
import { SealmailError } from '../../../../core/errors.js';
import type { KeyAccess } from './key-access.js';
import { saveKeyFile } from './save-key-file.js';
import { ipcBytes, type Invoke } from './worker-ipc.js';

export interface RenewRequest {
  accountId: string;
  /** The key-file password: the current signing key signs the request, the new file is sealed. */
  password: string;
}

export async function renew(invoke: Invoke, keys: KeyAccess, request: RenewRequest): Promise<SecurityStatus> {
  // Always opened with the password given now (a kept key would do to sign, but the new key file
  // must be sealed with a password, and keeping one here would outlive the unlock window).
  const contents = await keys.open(request.accountId, request.password);
  const signingRenewed = await renewWithSignedRequest(contents, async (signedRequest) => {
    const reply = await invoke('km.est', {
      accountId: request.accountId,
      operation: 'simplereenroll',
      body: ipcBytes(signedRequest),
      temporaryKey: null,
    });
    const [certificate] = certificatesOfCertsOnly(reply.body, 'the renewed signing certificate');
    return certificate;
  });
  const renewed = await renewEncryptionKeyWithSignedRequest(signingRenewed, async (signedRequest) => {
    const reply = await invoke('km.est', {
      accountId: request.accountId,
      operation: 'serverkeygen',
      body: ipcBytes(signedRequest),
      temporaryKey: null,
    });
    return serverGeneratedKeys(reply.body, reply.contentType);
  }).catch((error: unknown) => {
    const known = error instanceof SealmailError ? error : null;
    // Nothing was saved: the current key file (still valid until it ends) remains as it was.
    throw new SealmailError(
      known?.code ?? 'INTERNAL',
      `${known?.message ?? String(error)} The new encryption key did not arrive, so the key file was not changed; ` +
        'your current key file still works until it expires: renew again.',
      { cause: error },
    );
  });
  return saveKeyFile(invoke, request.accountId, renewed, request.password).catch((error: unknown) => {
    const known = error instanceof SealmailError ? error : null;
    // The KM issued the certificate, but the old key file (still valid until it expires) remains.
    throw new SealmailError(
      known?.code ?? 'INTERNAL',
      `${known?.message ?? String(error)} The KM issued new certificates but the key file could not be saved; ` +
        'your current key file still works until it expires: renew again.',
      { cause: error },
    );
  });
}
