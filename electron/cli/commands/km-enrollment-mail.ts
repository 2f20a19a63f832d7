// The `--send-email` half of `km mailbox enable|recover` (seed 003 "Send Enrollment Message"):
// the SMTP flags, and mailing the temporary key in the editable welcome template.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import { defaultWelcomeTemplate, renderEnrollmentMessage } from '../../../km/mailbox/enrollment-message.js';
import type { IssuedTemporaryKey } from '../../../km/mailbox/issue-temporary-key.js';
import { sendEnrollmentMessage } from '../../../km/mailbox/send-enrollment-message.js';
import type { CliContext } from '../program.js';
import { readPassword } from './smime-inputs.js';

export interface EnrollmentMailFlags {
  sendEmail?: boolean;
  smtpHost?: string;
  smtpPort?: string;
  smtpTls: string;
  smtpUser?: string;
  smtpPasswordFile?: string;
  smtpCaFile?: string;
  from?: string;
  welcomeTemplate?: string;
}

export function withEnrollmentMailOptions(command: Command): Command {
  return command
    .option('--send-email', 'mail the temporary key in the enrollment welcome message')
    .option('--no-email', 'only print the temporary key (give it to the user in person)')
    .option('--smtp-host <host>', 'SMTP submission server for --send-email')
    .option('--smtp-port <port>', 'its port')
    .option('--smtp-tls <mode>', 'tls|starttls|none', 'starttls')
    .option('--smtp-user <user>', 'SMTP login')
    .option('--smtp-password-file <file>', 'a file holding the SMTP password')
    .option('--smtp-ca-file <file>', 'a CA certificate (PEM) to trust for the SMTP server')
    .option('--from <address>', 'the sender of the enrollment message')
    .option(
      '--welcome-template <file>',
      'the welcome message ("Subject: …", blank line, body with {{temporaryKey}})',
    );
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `cannot read the ${what} ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Sends the message when --send-email was given; returns its Message-ID, or undefined. */
export async function deliverEnrollmentMessage(
  flags: EnrollmentMailFlags,
  issued: IssuedTemporaryKey,
  kmUrl: string,
  context: CliContext,
): Promise<string | undefined> {
  if (!flags.sendEmail) return undefined;
  const port = Number(flags.smtpPort);
  if (!flags.smtpHost || !Number.isInteger(port) || !flags.from) {
    throw new SealmailError('INVALID_REQUEST', '--send-email needs --smtp-host, --smtp-port and --from.');
  }
  if (!['tls', 'starttls', 'none'].includes(flags.smtpTls)) {
    throw new SealmailError('INVALID_REQUEST', '--smtp-tls must be tls, starttls or none.');
  }
  const template = flags.welcomeTemplate
    ? await readText(flags.welcomeTemplate, 'welcome template')
    : defaultWelcomeTemplate;
  const message = renderEnrollmentMessage(template, { ...issued, kmUrl });
  const { messageId } = await sendEnrollmentMessage(
    {
      host: flags.smtpHost,
      port,
      tls: flags.smtpTls as 'tls' | 'starttls' | 'none',
      user: flags.smtpUser,
      password: flags.smtpPasswordFile ? await readPassword(flags.smtpPasswordFile) : undefined,
      caPem: flags.smtpCaFile ? await readText(flags.smtpCaFile, 'SMTP CA file') : undefined,
      from: flags.from,
    },
    issued.email,
    message,
  );
  if (!message.includesKey) {
    context.err('The welcome template has no {{temporaryKey}}: give the temporary key to the user yourself.');
  }
  return messageId;
}
