// "Set up Advanced Security" (seed 003, issue 6): redeem the temporary key over the km.est relay,
// then write the key file. The signing key is made here and never leaves the worker; the KM's
// encryption keys arrive here and are sealed into the key file with the user's password before
// main sees anything (main gets the encrypted bytes and the public certificates).
import type { SecurityStatus } from '../../../../core/api/security-types.js';
import { redeemTemporaryKey } from '../../../../core/enrollment/redeem-temporary-key.js';
import { SealmailError } from '../../../../core/errors.js';
import { normalizeTemporaryKey } from '../../../../core/enrollment/temporary-key.js';
import type { RedeemProgress } from '../crypto-client.js';
import { estRelay } from './est-relay.js';
import { checkNewPassword, saveKeyFile } from './save-key-file.js';
import type { Invoke } from './worker-ipc.js';

export interface RedeemRequest {
  accountId: string;
  email: string;
  temporaryKey: string;
  password: string;
}

export async function redeem(
  invoke: Invoke,
  request: RedeemRequest,
  onProgress: (progress: RedeemProgress) => void = () => undefined,
): Promise<SecurityStatus> {
  onProgress({ step: 'checking-key' });
  // A typo is reported before anything is sent, so it costs no rate-limited attempt.
  normalizeTemporaryKey(request.temporaryKey);
  // So is an empty password: the key file could not be sealed after the key was spent.
  checkNewPassword(request.password);
  const est = estRelay(invoke, request.accountId, {
    before(operation) {
      if (operation === 'simpleenroll') onProgress({ step: 'enrolling' });
      if (operation === 'serverkeygen') onProgress({ step: 'receiving-encryption-keys' });
    },
  });
  const contents = await redeemTemporaryKey(
    {
      ...est,
      async caCertificates() {
        const certificates = await est.caCertificates();
        // redeemTemporaryKey makes the signing key right after the CA certificates arrive.
        onProgress({ step: 'making-signing-key' });
        return certificates;
      },
    },
    { email: request.email, temporaryKey: request.temporaryKey },
  );
  onProgress({ step: 'saving-key-file' });
  return saveKeyFile(invoke, request.accountId, contents, request.password).catch((error: unknown) => {
    const known = error instanceof SealmailError ? error : null;
    throw new SealmailError(
      known?.code ?? 'INTERNAL',
      `${known?.message ?? String(error)} The temporary key was used, but the key file could not be saved; ` +
        'ask your administrator for a recovery key (`sealmail km mailbox recover`) and try again.',
      { cause: error },
    );
  });
}
