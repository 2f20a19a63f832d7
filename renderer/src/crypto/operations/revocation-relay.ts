// core/pki's RevocationChecker over `certificates.revocation`: main keeps the CRL cache and
// refreshes it (issue 5), so the worker asks main about each certificate of a signer's chain.
import type { RevocationView } from '../../../../core/api/security-types.js';
import type { RevocationAnswer, RevocationChecker } from '../../../../core/pki/revocation.js';
import { ipcBytes, type Invoke } from './worker-ipc.js';

export function answerOf(view: RevocationView): RevocationAnswer {
  switch (view.status) {
    case 'good':
      // Main's only caution on a good answer is a CRL past its nextUpdate under the 'warn'
      // policy (seed 003); it arrives in words, so it is coded here.
      return view.warning
        ? { status: 'good', warning: { code: 'CRL_STALE', message: view.warning } }
        : { status: 'good' };
    case 'revoked':
      return {
        status: 'revoked',
        revokedAt: new Date(view.revokedAt),
        ...(view.reason ? { reason: view.reason } : {}),
      };
    case 'unknown':
      return { status: 'unknown', reason: view.reason };
  }
}

/** Main answers for now; `at` is the verifier's "now" as well, so it is not sent. */
export function revocationRelay(invoke: Invoke, accountId: string): RevocationChecker {
  return {
    async status(certificate, issuer) {
      return answerOf(
        await invoke('certificates.revocation', {
          accountId,
          certificate: ipcBytes(certificate),
          issuer: ipcBytes(issuer),
        }),
      );
    },
  };
}
