// `account test`: logs in to IMAP and to SMTP on fresh connections and reports each on its own,
// so the user sees which of the two is wrong. A failed login is a report, not an exception.
import type { AccountTestReport } from '../../../core/api/types.js';
import type { ServerSettings } from '../../../core/api/schemas.js';
import { createImapClient } from '../imap/connection.js';
import { describeServerFailure } from '../imap/server-errors.js';
import { createSmtpTransport } from '../smtp/transport.js';
import type { StoredAccount } from './stored-account.js';

function security(server: ServerSettings): string {
  return server.tls === 'tls' ? 'TLS' : server.tls === 'starttls' ? 'STARTTLS' : 'no encryption';
}

async function testImap(account: StoredAccount, password: string): Promise<AccountTestReport['imap']> {
  const { host, port } = account.imap;
  const client = createImapClient(account, password, { connectionTimeout: 15_000, greetingTimeout: 15_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.logout();
    return {
      ok: true,
      message: `logged in as ${account.username} on ${host}:${port} (${security(account.imap)})`,
    };
  } catch (error) {
    client.close();
    const failure = describeServerFailure(
      { protocol: 'IMAP', server: account.imap, username: account.username },
      error,
    );
    return { ok: false, message: `${failure.code}: ${failure.message}` };
  }
}

async function testSmtp(account: StoredAccount, password: string): Promise<AccountTestReport['smtp']> {
  const { host, port } = account.smtp;
  const transport = createSmtpTransport(account, password);
  try {
    await transport.verify();
    return {
      ok: true,
      message: `logged in as ${account.username} on ${host}:${port} (${security(account.smtp)})`,
    };
  } catch (error) {
    const failure = describeServerFailure(
      { protocol: 'SMTP', server: account.smtp, username: account.username },
      error,
    );
    return { ok: false, message: `${failure.code}: ${failure.message}` };
  } finally {
    transport.close();
  }
}

export async function testAccount(account: StoredAccount, password: string): Promise<AccountTestReport> {
  const [imap, smtp] = await Promise.all([testImap(account, password), testSmtp(account, password)]);
  return { imap, smtp };
}
