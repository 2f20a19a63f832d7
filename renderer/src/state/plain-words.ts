// Error codes become sentences a user can act on; the services' own message follows, as a
// sentence, because it names the account, the server and the way out.
import type { ErrorInfo } from '../../../core/errors.js';

const advice: Partial<Record<ErrorInfo['code'], string>> = {
  AUTH_FAILED: 'The server did not accept the user name or password.',
  CONNECTION_FAILED: 'The server could not be reached.',
  TLS_UNTRUSTED: "The server's certificate is not trusted.",
  KEYCHAIN_UNAVAILABLE: "The system's password store is not available.",
  SERVER_ERROR: 'The mail server reported a problem.',
  SMTP_TEMPORARY: 'The mail server is busy; Sealmail will try again.',
  SMTP_PERMANENT: 'The mail server refused the message.',
  MALFORMED_MESSAGE: 'The message is damaged.',
  MESSAGE_TOO_LARGE: 'The message is too large.',
  INVALID_REQUEST: 'Some of the details are not valid.',
  STORAGE_FAILED: 'Sealmail could not save its files.',
  // Advanced Security (issue 6): what the send flow and the reader may meet.
  WRONG_PASSWORD: 'That password did not open your key file.',
  KEYFILE_LOCKED: 'Your key file is locked; enter its password.',
  KEYFILE_TAMPERED: 'Your key file is damaged or was changed.',
  MALFORMED_KEYFILE: 'Your key file is damaged.',
  NO_MATCHING_KEY: 'None of your keys can open this message.',
  DECRYPTION_FAILED: 'The message could not be decrypted.',
  RECIPIENT_UNUSABLE: "A recipient's certificate cannot be used.",
  ENCRYPTION_UNAVAILABLE: 'The message could not be encrypted.',
  INTERNAL: 'Something went wrong inside Sealmail.',
};

/** "the x failed" → "The x failed." */
function asSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const capitalised = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function inPlainWords(error: ErrorInfo): string {
  const lead = advice[error.code];
  const detail = asSentence(error.message);
  if (!lead || detail.startsWith(lead)) return detail || lead || 'Something went wrong.';
  return detail ? `${lead} ${detail}` : lead;
}
