// Opens an IMAP connection for an account with the TLS mode it was configured with.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { isIP } from 'node:net';
import type { StoredAccount } from '../accounts/stored-account.js';

/** `extra` adds options a caller needs (the long-lived session asks for QRESYNC and an IDLE bound). */
export function createImapClient(
  account: StoredAccount,
  password: string,
  extra: Partial<ImapFlowOptions> = {},
): ImapFlow {
  const { host, port, tls } = account.imap;
  return new ImapFlow({
    host,
    port,
    secure: tls === 'tls',
    // imapflow upgrades to STARTTLS on its own when offered; "none" must really mean none
    // (../shared/infra/RECIPE.md pitfall 11), and "starttls" must refuse to go on without it.
    doSTARTTLS: tls === 'starttls' ? true : tls === 'none' ? false : undefined,
    auth: { user: account.username, pass: password },
    tls: {
      ...(account.caPem ? { ca: account.caPem } : {}),
      // RFC 6066 forbids an IP address as SNI; the certificate is still checked against it.
      ...(isIP(host) ? {} : { servername: host }),
      minVersion: 'TLSv1.2',
    },
    logger: false,
    // Never let the library open a second connection on its own; the engine owns reconnects.
    disableAutoIdle: true,
    ...extra,
  });
}
