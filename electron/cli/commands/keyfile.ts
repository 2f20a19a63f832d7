// `sealmail keyfile info|import|export` (issue 3's CLI contract). The CLI process is one of the
// two places private keys may live (ARCHITECTURE.md invariant 1), so it opens and seals key
// files itself with core/keyfile.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import { importPkcs12, openKeyFile, sealKeyFile } from '../../../core/keyfile/key-file.js';
import { summarizeKeyFile, type KeyFileSummary } from '../../../core/keyfile/key-file-summary.js';
import { keyFileExists, readKeyFileBytes, saveKeyFileBytes } from '../../services/keyfile-storage.js';
import type { CliContext } from '../program.js';

async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `Cannot read the ${what} ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** A password file's first line: the newline an editor or `echo` adds is not part of it, as with `openssl -passin file:`. */
async function readPassword(path: string, what: string): Promise<string> {
  const text = new TextDecoder().decode(await readInput(path, what));
  return text.split(/\r?\n/)[0];
}

function describe(summary: KeyFileSummary): string {
  const lines: string[] = [];
  for (const key of summary.keys) {
    const roles = [key.signing ? 'signing' : null, key.encryption ? `encryption (${key.encryption})` : null]
      .filter(Boolean)
      .join(' and ');
    lines.push(`${roles || 'retired'} key: ${key.subject}`);
    lines.push(`  email ${key.email ?? '(none)'}, serial ${key.serial}, ${key.keyAlgorithm}`);
    lines.push(`  valid ${key.notBefore} to ${key.notAfter}, issued by ${key.issuer}`);
  }
  for (const ca of summary.caCertificates) lines.push(`CA certificate: ${ca.subject} (until ${ca.notAfter})`);
  lines.push(`integrity: ${summary.protection.integrity}`);
  for (const scheme of summary.protection.encryption) lines.push(`encryption: ${scheme}`);
  return lines.join('\n');
}

interface InfoOptions {
  keyFile: string;
  passwordFile: string;
  json?: boolean;
}

interface TransferOptions {
  keyFile: string;
  passwordFile: string;
  p12: string;
  p12PasswordFile: string;
}

export function registerKeyFileCommands(program: Command, context: CliContext): void {
  const keyfile = program.command('keyfile').description('your key file: signing and encryption keys');

  keyfile
    .command('info')
    .description('show the keys and certificates in a key file')
    .requiredOption('--key-file <file>', 'the key file')
    .requiredOption('--password-file <file>', 'file holding the key-file password')
    .option('--json', 'print JSON')
    .action(async (options: InfoOptions) => {
      const password = await readPassword(options.passwordFile, 'password file');
      const { contents, protection } = await openKeyFile(await readKeyFileBytes(options.keyFile), password);
      const summary = summarizeKeyFile(contents, protection);
      context.out(options.json ? JSON.stringify(summary) : describe(summary));
    });

  keyfile
    .command('import')
    .description('add the keys of a .p12 from another program to a key file (made if missing)')
    .requiredOption('--p12 <file>', 'the PKCS#12 (.p12/.pfx) file to import')
    .requiredOption('--p12-password-file <file>', 'file holding the .p12 password')
    .requiredOption('--key-file <file>', 'the key file to write')
    .requiredOption('--password-file <file>', 'file holding the key-file password')
    .action(async (options: TransferOptions) => {
      const p12 = await readInput(options.p12, '.p12 file');
      const p12Password = await readPassword(options.p12PasswordFile, '.p12 password file');
      const password = await readPassword(options.passwordFile, 'password file');
      const existing = (await keyFileExists(options.keyFile))
        ? (await openKeyFile(await readKeyFileBytes(options.keyFile), password)).contents
        : null;
      const contents = await importPkcs12(p12, p12Password, existing);
      await saveKeyFileBytes(options.keyFile, await sealKeyFile(contents, password));
      context.out(`imported ${options.p12} into ${options.keyFile}: ${contents.keys.length} key(s)`);
    });

  keyfile
    .command('export')
    .description('write the key file as a .p12 for another program, under its own password')
    .requiredOption('--key-file <file>', 'the key file')
    .requiredOption('--password-file <file>', 'file holding the key-file password')
    .requiredOption('--p12 <file>', 'the PKCS#12 file to write')
    .requiredOption('--p12-password-file <file>', 'file holding the password for the .p12')
    .action(async (options: TransferOptions) => {
      const password = await readPassword(options.passwordFile, 'password file');
      const p12Password = await readPassword(options.p12PasswordFile, '.p12 password file');
      const { contents } = await openKeyFile(await readKeyFileBytes(options.keyFile), password);
      await saveKeyFileBytes(options.p12, await sealKeyFile(contents, p12Password));
      context.out(`exported ${options.keyFile} to ${options.p12}`);
    });
}
