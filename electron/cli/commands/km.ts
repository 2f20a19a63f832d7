// `sealmail km …`: the Key Management server's admin commands (issue 4, seed 003). Each one
// opens the KM store named by --data (and --db for PostgreSQL), does one thing, and closes it.
// Operations that change a mailbox need the required number of --admin-password-file options.
//   km init | km serve | km mailbox enable|revoke|recover|status|list | km crl
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import { initialiseKm } from '../../../km/authority/initialise-km.js';
import type { KmContext } from '../../../km/authority/km-clock.js';
import { pem } from '../../../km/ca/pem.js';
import { enableMailbox, recoverMailbox, revokeMailbox } from '../../../km/mailbox/admin-operations.js';
import type { IssuedTemporaryKey } from '../../../km/mailbox/issue-temporary-key.js';
import {
  listMailboxes,
  mailboxStatus,
  type MailboxSecurityStatus,
} from '../../../km/mailbox/mailbox-status.js';
import { refreshCrl } from '../../../km/mailbox/refresh-crl.js';
import { encryptionKeyTypes, type EncryptionKeyType } from '../../../km/ca/key-algorithms.js';
import { listenAddress, startKmServer } from '../../../km/server/km-server.js';
import { settingNames } from '../../../km/authority/km-settings.js';
import { KmStore } from '../../../km/storage/km-store.js';
import { revocationReasons, type RevocationReason } from '../../../km/storage/records.js';
import { commandGroup, type CliContext } from '../program.js';
import {
  deliverEnrollmentMessage,
  withEnrollmentMailOptions,
  type EnrollmentMailFlags,
} from './km-enrollment-mail.js';
import { readPassword } from './smime-inputs.js';

interface StoreFlags {
  data: string;
  db?: string;
}

interface AdminFlags extends StoreFlags {
  adminPasswordFile: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

async function withKm<T>(flags: StoreFlags, work: (context: KmContext) => Promise<T>): Promise<T> {
  const store = await KmStore.open({ data: flags.data, db: flags.db });
  try {
    return await work({ store, now: () => new Date() });
  } finally {
    await store.close();
  }
}

async function adminPasswords(flags: AdminFlags): Promise<string[]> {
  if (flags.adminPasswordFile.length === 0) {
    throw new SealmailError(
      'ADMIN_PASSWORDS_REQUIRED',
      'give the required number of administrator passwords, one --admin-password-file per administrator.',
    );
  }
  return Promise.all(flags.adminPasswordFile.map((file) => readPassword(file)));
}

function withStoreOptions(command: Command): Command {
  return command
    .requiredOption('--data <dir>', 'the KM data directory (SQLite database and node key)')
    .option('--db <url>', 'a shared PostgreSQL database, postgres://… (instead of SQLite in --data)');
}

function withAdminOptions(command: Command): Command {
  return withStoreOptions(command).option(
    '--admin-password-file <file>',
    'a file holding one administrator password (repeat for each administrator)',
    collect,
    [],
  );
}

function printKey(
  context: CliContext,
  issued: IssuedTemporaryKey,
  json: boolean | undefined,
  messageId?: string,
): void {
  if (json) {
    const { email, temporaryKey, expires } = issued;
    context.out(
      JSON.stringify(
        messageId ? { email, temporaryKey, expires, messageId } : { email, temporaryKey, expires },
      ),
    );
  } else {
    context.out(`Temporary key for ${issued.email}: ${issued.temporaryKey}`);
    context.out(`It can be used once, until ${issued.expires}. Give it to the user in a secure way.`);
    if (messageId) context.out(`Enrollment message sent to ${issued.email} (Message-ID ${messageId}).`);
  }
}

type IssueFlags = AdminFlags & EnrollmentMailFlags & { email?: boolean; json?: boolean };

/** Issues a key (enable or recover), then mails it when asked; a mail failure keeps the key. */
async function issueAndDeliver(
  context: CliContext,
  flags: IssueFlags,
  issue: (kmContext: KmContext) => Promise<IssuedTemporaryKey>,
): Promise<void> {
  if (flags.sendEmail && flags.email === false) {
    throw new SealmailError('INVALID_REQUEST', 'give --send-email or --no-email, not both.');
  }
  const { issued, kmUrl } = await withKm(flags, async (kmContext) => ({
    issued: await issue(kmContext),
    kmUrl: (await kmContext.store.records.setting(settingNames.url)) ?? '',
  }));
  if (!flags.sendEmail) return printKey(context, issued, flags.json);
  let messageId: string | undefined;
  try {
    messageId = await deliverEnrollmentMessage(flags, issued, kmUrl, context);
  } catch (error) {
    printKey(context, issued, flags.json);
    throw error;
  }
  printKey(context, issued, flags.json, messageId);
}

function describeStatus(status: MailboxSecurityStatus): string {
  const lines = [`${status.email}: ${status.status}`];
  for (const [name, dates] of [
    ['signing certificate', status.signingCertificate],
    ['encryption certificate', status.encryptionCertificate],
  ] as const) {
    if (dates) lines.push(`  ${name} ${dates.serial}: valid from ${dates.validFrom} to ${dates.validTo}`);
  }
  return lines.join('\n');
}

function registerInit(km: Command, context: CliContext): void {
  withAdminOptions(
    km.command('init').description('create the issuing CA and protect it with the administrators’ passwords'),
  )
    .requiredOption(
      '--url <url>',
      'the KM’s public address, https://HOST:PORT (certificates point their CRL here)',
    )
    .option(
      '--required-admin-passwords <k>',
      'how many administrator passwords each operation needs (default: all)',
    )
    .action(async (flags: AdminFlags & { url: string; requiredAdminPasswords?: string }) => {
      const passwords = await adminPasswords(flags);
      const required =
        flags.requiredAdminPasswords === undefined ? passwords.length : Number(flags.requiredAdminPasswords);
      if (!Number.isInteger(required)) {
        throw new SealmailError('INVALID_REQUEST', '--required-admin-passwords must be a whole number.');
      }
      const { caCertificate } = await withKm(flags, (kmContext) =>
        initialiseKm(kmContext, {
          dataDirectory: flags.data,
          url: flags.url,
          adminPasswords: passwords,
          requiredAdminPasswords: required,
        }),
      );
      const caFile = join(flags.data, 'ca.pem');
      await writeFile(caFile, pem(caCertificate, 'CERTIFICATE'));
      context.out(`KM initialised: ${required} of ${passwords.length} administrator passwords required.`);
      context.out(`CA certificate: ${caFile} (clients trust it with --km-ca).`);
    });
}

function registerMailbox(km: Command, context: CliContext): void {
  const mailbox = km.command('mailbox').description('enable, revoke, recover and inspect mailboxes');
  withEnrollmentMailOptions(
    withAdminOptions(
      mailbox.command('enable <email>').description('issue a one-time temporary key for a mailbox'),
    ),
  )
    .option('--json', 'print {"email","temporaryKey","expires"}')
    .action(async (email: string, flags: IssueFlags) => {
      const passwords = await adminPasswords(flags);
      await issueAndDeliver(context, flags, (kmContext) => enableMailbox(kmContext, email, passwords));
    });
  withAdminOptions(
    mailbox.command('revoke <email>').description('revoke the mailbox’s certificates onto the CRL'),
  )
    .requiredOption('--reason <reason>', revocationReasons.join('|'))
    .action(async (email: string, flags: AdminFlags & { reason: string }) => {
      if (!(revocationReasons as readonly string[]).includes(flags.reason)) {
        throw new SealmailError(
          'INVALID_REQUEST',
          `--reason must be one of ${revocationReasons.join(', ')}.`,
        );
      }
      const passwords = await adminPasswords(flags);
      const result = await withKm(flags, (kmContext) =>
        revokeMailbox(kmContext, email, flags.reason as RevocationReason, passwords),
      );
      context.out(
        `Revoked ${result.email} (${flags.reason}): ${result.revokedSerials.length} certificate(s) are on the new CRL.`,
      );
    });
  withEnrollmentMailOptions(
    withAdminOptions(
      mailbox.command('recover <email>').description('issue a temporary key that restores archived keys'),
    ),
  )
    .option('--json', 'print {"email","temporaryKey","expires"}')
    .action(async (email: string, flags: IssueFlags) => {
      const passwords = await adminPasswords(flags);
      await issueAndDeliver(context, flags, (kmContext) => recoverMailbox(kmContext, email, passwords));
    });
  withStoreOptions(mailbox.command('status <email>').description('the security status and certificate dates'))
    .option('--json', 'print the status as JSON')
    .action(async (email: string, flags: StoreFlags & { json?: boolean }) => {
      const status = await withKm(flags, (kmContext) => mailboxStatus(kmContext.store.records, email));
      context.out(flags.json ? JSON.stringify(status) : describeStatus(status));
    });
  withStoreOptions(mailbox.command('list').description('every mailbox the KM knows, with its status'))
    .option('--json', 'print a JSON array of statuses')
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      const all = await withKm(flags, (kmContext) => listMailboxes(kmContext.store.records));
      context.out(flags.json ? JSON.stringify(all) : all.map(describeStatus).join('\n') || 'No mailboxes.');
    });
}

function registerCrl(km: Command, context: CliContext): void {
  withStoreOptions(km.command('crl').description('issue a fresh CRL and write it (DER)'))
    .requiredOption('--out <file>', 'where to write the CRL')
    .action(async (flags: StoreFlags & { out: string }) => {
      const crl = await withKm(flags, (kmContext) => refreshCrl(kmContext, flags.data));
      await writeFile(flags.out, crl.der);
      context.out(`CRL ${crl.crlNumber} written to ${flags.out}; next update ${crl.nextUpdate}.`);
    });
}

interface ServeFlags extends StoreFlags {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  encryptionKey: string;
}

/** Runs until SIGINT or SIGTERM, then closes the listener and the store. */
function registerServe(km: Command, context: CliContext): void {
  withStoreOptions(
    km.command('serve').description('serve EST enrollment, the directory and the CRL over HTTPS'),
  )
    .requiredOption('--listen <host:port>', 'where to listen, e.g. 127.0.0.1:8443')
    .option('--tls-cert <file>', 'the HTTPS certificate (PEM); without it the KM issues its own from its CA')
    .option('--tls-key <file>', 'the HTTPS private key (PEM)')
    .option('--encryption-key <type>', `encryption key type: ${encryptionKeyTypes.join('|')}`, 'P-256')
    .action(async (flags: ServeFlags) => {
      if (!(encryptionKeyTypes as readonly string[]).includes(flags.encryptionKey)) {
        throw new SealmailError(
          'INVALID_REQUEST',
          `--encryption-key must be one of ${encryptionKeyTypes.join(', ')}.`,
        );
      }
      const listen = listenAddress(flags.listen);
      const store = await KmStore.open({ data: flags.data, db: flags.db });
      try {
        const server = await startKmServer(
          {
            store,
            now: () => new Date(),
            dataDirectory: flags.data,
            encryptionKeyType: flags.encryptionKey as EncryptionKeyType,
            requestsPerMinute: 60,
          },
          { listen, tlsCertFile: flags.tlsCert, tlsKeyFile: flags.tlsKey },
        );
        context.out(`KM listening on ${server.url}`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.close();
      } finally {
        await store.close();
      }
    });
}

export function registerKmCommands(program: Command, context: CliContext): void {
  const km = commandGroup(program, 'km', 'the Key Management server and its administration');
  registerInit(km, context);
  registerServe(km, context);
  registerMailbox(km, context);
  registerCrl(km, context);
}
