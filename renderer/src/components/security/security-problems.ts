// What went wrong with Advanced Security, in plain words and with the way out (issue 6: "errors
// in plain words"). The crypto worker and the services throw or answer coded errors
// (core/errors.ts); the code picks the sentence, the service's own message adds the detail.
import { isErrorCode, type ErrorInfo } from '../../../../core/errors.js';
import { inPlainWords } from '../../state/plain-words.js';

/** Anything a CryptoClient call threw, or a failed result, as a coded error. */
export function asErrorInfo(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null && 'code' in error && isErrorCode(error.code)) {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
    return { code: error.code, message };
  }
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}

const ways: Partial<Record<ErrorInfo['code'], string>> = {
  TEMPORARY_KEY_SPENT:
    'This temporary key has already been used: a temporary key works only once. Ask your administrator for a new one. If you already set up Advanced Security on another computer, import that key file instead.',
  TEMPORARY_KEY_EXPIRED: 'This temporary key has expired. Ask your administrator for a new one.',
  TEMPORARY_KEY_WRONG_MAILBOX:
    'This temporary key was issued for a different mailbox. Check that you chose the right account, or ask your administrator for the key for this one.',
  TEMPORARY_KEY_MALFORMED: 'The temporary key is not typed correctly.',
  AUTH_FAILED:
    'The Key Management server does not know this temporary key. Check it character by character against the message you were sent, and use the newest key if you received more than one.',
  RATE_LIMITED:
    'The Key Management server refused more attempts for now. Wait a few minutes, then try again.',
  CONNECTION_FAILED:
    'The Key Management server could not be reached. Check the network and the server address, or try again later; nothing was changed.',
  TLS_UNTRUSTED:
    "The Key Management server's certificate is not trusted. Check the server address and its certificate authority with your administrator.",
  KM_NOT_INITIALISED: 'The Key Management server is not set up yet. Ask your administrator.',
  WRONG_PASSWORD: 'That password does not open the key file. Check Caps Lock and try again.',
  KEYFILE_TAMPERED:
    'The key file was changed or damaged since it was written, so Sealmail will not use it. Import a good copy, or redeem a recovery key from your administrator.',
  MALFORMED_KEYFILE:
    'This is not a key file Sealmail can read. Choose the .p12 or .pfx file that holds your keys.',
  KEYFILE_LOCKED: 'The key file is locked. Type its password to go on.',
  STORAGE_FAILED: 'Sealmail could not save the key file. Check free disk space and try again.',
};

/** The sentence for an Advanced Security failure; other codes fall back to the general advice. */
export function securityProblemInWords(error: ErrorInfo): string {
  const way = ways[error.code];
  if (!way) return inPlainWords(error);
  // The malformed-key message from core names the exact fix; it already is the plain words.
  if (error.code === 'TEMPORARY_KEY_MALFORMED' && error.message) return error.message;
  return way;
}

/** Problems that concern the typed temporary key: the wizard returns to that field. */
export function isTemporaryKeyProblem(error: ErrorInfo): boolean {
  return [
    'TEMPORARY_KEY_SPENT',
    'TEMPORARY_KEY_EXPIRED',
    'TEMPORARY_KEY_WRONG_MAILBOX',
    'TEMPORARY_KEY_MALFORMED',
    'AUTH_FAILED',
  ].includes(error.code);
}
