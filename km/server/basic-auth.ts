// HTTP Basic credentials (RFC 7617) of an EST request: the mailbox as user name and the
// temporary key as password (issue 4).
import { SealmailError } from '../../core/errors.js';

export function basicCredentials(header: string | undefined): { email: string; temporaryKey: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) {
    throw new SealmailError(
      'AUTH_FAILED',
      'enrollment needs HTTP Basic authentication: the mailbox and its temporary key.',
    );
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1)
    throw new SealmailError('AUTH_FAILED', 'the Basic credentials have no "mailbox:temporary key" form.');
  return { email: decoded.slice(0, colon), temporaryKey: decoded.slice(colon + 1) };
}
