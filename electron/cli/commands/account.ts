// `sealmail account add|list|test`: the flags of issue 2, over the same services as the app.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SealmailError, isErrorCode } from '../../../core/errors.js';
import { newAccountSchema } from '../../../core/api/schemas.js';
import type { AccountSummary } from '../../../core/api/types.js';
import { EventBus } from '../../services/event-bus.js';
import { createMailServices, type MailServices } from '../../services/mail-services.js';
import type { CliContext } from '../program.js';

interface AddOptions {
  name: string;
  email: string;
  username: string;
  passwordFile: string;
  imapHost: string;
  imapPort: string;
  imapTls: string;
  smtpHost: string;
  smtpPort: string;
  smtpTls: string;
  caFile?: string;
}

export async function withMailServices<T>(
  context: CliContext,
  action: (services: MailServices) => Promise<T>,
): Promise<T> {
  // The CLI runs one command and exits: no IDLE, and close() stops any reconnect timer.
  const services = createMailServices(context.home(), new EventBus(), { watchInbox: false });
  try {
    return await action(services);
  } finally {
    await services.close();
  }
}

export async function accountNamed(services: MailServices, name: string): Promise<AccountSummary> {
  const accounts = await services.accounts.list();
  const account = accounts.find((a) => a.name === name) ?? accounts.find((a) => a.id === name);
  if (!account)
    throw new SealmailError(
      'NOT_FOUND',
      `there is no account named "${name}"; \`sealmail account list\` shows the accounts there are`,
    );
  return account;
}

async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `cannot read the ${what} ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

async function newAccountFrom(options: AddOptions) {
  // A password file usually ends with the newline an editor or `echo` added; it is not part of it.
  const password = (await readInputFile(options.passwordFile, 'password file')).replace(/\r?\n$/, '');
  const caPem = options.caFile ? await readInputFile(options.caFile, 'CA file') : undefined;
  const parsed = newAccountSchema.safeParse({
    name: options.name,
    email: options.email,
    username: options.username,
    password,
    imap: { host: options.imapHost, port: Number(options.imapPort), tls: options.imapTls },
    smtp: { host: options.smtpHost, port: Number(options.smtpPort), tls: options.smtpTls },
    ...(caPem ? { caPem } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'account';
    throw new SealmailError(
      'INVALID_REQUEST',
      `${field}: ${issue?.message ?? 'invalid'} (ports are 1-65535, TLS is tls, starttls or none)`,
    );
  }
  return parsed.data;
}

function describe(account: AccountSummary): string {
  const server = (s: AccountSummary['imap']) => `${s.host}:${s.port} ${s.tls}`;
  return `${account.name}\t${account.email}\tIMAP ${server(account.imap)}\tSMTP ${server(account.smtp)}`;
}

export function registerAccountCommands(program: Command, context: CliContext): void {
  const account = program.command('account').description('add, list and test mail accounts');

  account
    .command('add')
    .description('add an account; its password goes to the OS keychain, never to a file')
    .requiredOption('--name <name>', 'a name for the account')
    .requiredOption('--email <address>', 'the e-mail address')
    .requiredOption('--username <user>', 'the login name for IMAP and SMTP')
    .requiredOption('--password-file <file>', 'a file holding the password')
    .requiredOption('--imap-host <host>', 'IMAP server')
    .requiredOption('--imap-port <port>', 'IMAP port')
    .requiredOption('--imap-tls <mode>', 'tls, starttls or none')
    .requiredOption('--smtp-host <host>', 'SMTP server')
    .requiredOption('--smtp-port <port>', 'SMTP submission port')
    .requiredOption('--smtp-tls <mode>', 'tls, starttls or none')
    .option('--ca-file <file>', "PEM of the CA that signed the servers' certificates, if not a public one")
    .action(async (options: AddOptions) => {
      const request = await newAccountFrom(options);
      const added = await withMailServices(context, (services) => services.accounts.add(request));
      context.out(`added account ${added.name} (${added.email}); password stored in the OS keychain`);
    });

  account
    .command('list')
    .description('list the accounts')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const accounts = await withMailServices(context, (services) => services.accounts.list());
      if (options.json) context.out(JSON.stringify(accounts, null, 2));
      else if (accounts.length === 0) context.out('no accounts; add one with `sealmail account add`');
      else for (const a of accounts) context.out(describe(a));
    });

  account
    .command('test')
    .description('log in to IMAP and SMTP and report each')
    .requiredOption('--name <name>', 'the account')
    .action(async (options: { name: string }) => {
      const report = await withMailServices(context, async (services) =>
        services.accounts.test((await accountNamed(services, options.name)).id),
      );
      context.out(`IMAP: ${report.imap.ok ? 'ok' : 'FAILED'}: ${report.imap.message}`);
      context.out(`SMTP: ${report.smtp.ok ? 'ok' : 'FAILED'}: ${report.smtp.message}`);
      const failed = [report.imap, report.smtp].find((r) => !r.ok);
      if (failed) {
        const code = failed.message.split(':')[0];
        throw new SealmailError(
          isErrorCode(code) ? code : 'SERVER_ERROR',
          `account ${options.name} does not work yet (see above)`,
        );
      }
    });
}
