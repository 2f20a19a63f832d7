// `sealmail enroll` and `sealmail renew` (issue 4's CLI contract): redeem a temporary key from
// the KM into a key file, and renew the signing certificate before it expires.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renewalAdvice } from '../../../core/enrollment/renewal-reminder.js';
import { SealmailError } from '../../../core/errors.js';
import type { CertificateSummary } from '../../../core/keyfile/key-file-summary.js';
import { enrollMailbox, renewKeyFile } from '../../services/enrollment/enrollment.js';
import { kmEndpoint } from '../../services/enrollment/km-address.js';
import type { CliContext } from '../program.js';

/** A password file's first line, as `openssl -passin file:` reads it. */
async function readPassword(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split(/\r?\n/)[0];
  } catch (error) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `Cannot read the password file ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function validity(signing: CertificateSummary): string {
  const advice = renewalAdvice(new Date(signing.notAfter), new Date());
  const reminder = advice.due ? ' (renew soon: `sealmail renew`)' : '';
  return `signing certificate ${signing.serial} valid until ${signing.notAfter}${reminder}`;
}

interface KmOptions {
  km: string;
  kmCa?: string;
  keyFile: string;
  passwordFile: string;
}

interface EnrollOptions extends KmOptions {
  email: string;
  temporaryKey: string;
}

export function registerEnrollCommands(program: Command, context: CliContext): void {
  program
    .command('enroll')
    .description(
      'redeem the temporary key from your administrator: get your keys from the KM into a key file',
    )
    .requiredOption('--km <url>', 'the KM server, https://HOST:PORT')
    .option('--km-ca <file>', "the KM's CA certificate (PEM), as your administrator gave it")
    .requiredOption('--email <address>', 'your mailbox')
    .requiredOption('--temporary-key <key>', 'the temporary key, like ABCD-EFGH-…')
    .requiredOption('--key-file <file>', 'the key file to write')
    .requiredOption('--password-file <file>', 'file holding the key-file password')
    .action(async (options: EnrollOptions) => {
      const password = await readPassword(options.passwordFile);
      const km = await kmEndpoint(options.km, options.kmCa);
      const result = await enrollMailbox(
        km,
        { email: options.email, temporaryKey: options.temporaryKey },
        { path: options.keyFile, password },
      );
      context.out(
        `enrolled ${result.signing.email ?? options.email} into ${options.keyFile}: ` +
          `${validity(result.signing)}, ${result.encryptionKeys} encryption key(s)`,
      );
    });

  program
    .command('renew')
    .description('renew your signing certificate with the KM, keeping every encryption key')
    .requiredOption('--km <url>', 'the KM server, https://HOST:PORT')
    .option('--km-ca <file>', "the KM's CA certificate (PEM)")
    .requiredOption('--key-file <file>', 'the key file to renew')
    .requiredOption('--password-file <file>', 'file holding the key-file password')
    .action(async (options: KmOptions) => {
      const password = await readPassword(options.passwordFile);
      const km = await kmEndpoint(options.km, options.kmCa);
      const result = await renewKeyFile(km, { path: options.keyFile, password });
      context.out(
        `renewed ${options.keyFile}: ${validity(result.signing)}, ${result.encryptionKeys} encryption key(s) kept`,
      );
    });
}
