// Why a renewal was refused, in plain words and with the way out (issue 6). The KM refuses a
// signed renewal request for its signer (km/server/reenroll-signed.ts); those codes mean
// something else here than during enrollment (AUTH_FAILED is not about a temporary key but about
// the time the request was signed), so renewal has its own sentences and falls back to the
// general ones (security-problems.ts) for the rest: a wrong password, an unreachable KM.
import type { ErrorInfo } from '../../../../core/errors.js';
import { securityProblemInWords } from './security-problems.js';

const ways: Partial<Record<ErrorInfo['code'], string>> = {
  SIGNER_REVOKED:
    'Your administrator revoked your certificates, so they cannot be renewed. Ask your administrator for a recovery key and choose "Redeem a recovery key".',
  SIGNER_EXPIRED:
    'Your signing certificate has already ended, so it cannot renew itself. Ask your administrator for a recovery key and choose "Redeem a recovery key".',
  SIGNER_UNTRUSTED:
    'The Key Management server did not issue this key file, so it cannot renew it. Check the server address in these settings, or ask your administrator for a recovery key.',
  SIGNER_MISMATCH:
    'The renewal asked for a different mailbox than your certificate names. Ask your administrator for a recovery key.',
  MAILBOX_STATE_CONFLICT:
    'Your mailbox is not active on the Key Management server, so it cannot renew. Ask your administrator.',
  ALREADY_EXISTS: 'That renewal was already answered. Choose Renew again.',
  NOT_FOUND:
    'Your key file has no signing key to renew. Set it up again with a temporary key from your administrator.',
};

export function renewalProblemInWords(error: ErrorInfo): string {
  // AUTH_FAILED during renewal: the request's signing time is too far from the server's (the
  // KM's message names both times and the computer's clock).
  if (error.code === 'AUTH_FAILED') {
    return `The Key Management server did not accept the renewal: ${error.message.replace(/^.*?refused the renewal: /, '')}`;
  }
  return ways[error.code] ?? securityProblemInWords(error);
}
