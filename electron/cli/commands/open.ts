// `sealmail open`: decrypts and verifies a message and reports the verdict (issue 3 CLI
// contract). Exit code 0 whenever a verdict was produced, whatever it says; a coded error when
// the input cannot be processed (no matching key, wrong password, not a message).
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import { encryptionKeysOf, type KeyFileContents } from '../../../core/keyfile/key-file-contents.js';
import type { CertificateInfo } from '../../../core/pki/certificate-info.js';
import { readCertificateInfo } from '../../../core/pki/certificate-info.js';
import type { RevocationChecker } from '../../../core/pki/revocation.js';
import { decryptContent } from '../../../core/smime/envelope/index.js';
import { openMessage, type Decryptor, type OpenReport } from '../../../core/smime/open.js';
import { cachedRevocationChecker, crlCacheOf } from '../../services/crl/cached-revocation.js';
import type { CliContext } from '../program.js';
import {
  readCertificates,
  readInput,
  revocationFromFiles,
  unlockKeyFile,
  writeOutput,
} from './smime-inputs.js';

interface OpenFlags {
  in: string;
  out?: string;
  keyFile?: string;
  passwordFile?: string;
  trust?: string[];
  crl?: string[];
  at?: string;
  json?: boolean;
}

function decryptorFor(keys: KeyFileContents): Decryptor {
  const decryptionKeys = encryptionKeysOf(keys).map((key) => ({
    certificate: key.certificate,
    privateKey: key.privateKey,
  }));
  return async (der) => {
    if (decryptionKeys.length === 0) {
      throw new SealmailError(
        'NO_MATCHING_KEY',
        'The key file has no encryption key, so the message cannot be decrypted.',
      );
    }
    const { content, warnings } = await decryptContent(der, decryptionKeys);
    return { content, warnings };
  };
}

/** Without --trust, the self-signed CA certificates in the key file are the anchors. */
function anchorsFromKeyFile(keys: KeyFileContents | null): CertificateInfo[] {
  if (!keys) return [];
  return keys.caCertificates
    .map((der) => readCertificateInfo(der, 'A CA certificate in the key file'))
    .filter((info) => info.selfIssued);
}

function parseAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `--at "${value}" is not a date; write it like 2019-06-01T00:00:00Z.`,
    );
  }
  return at;
}

/**
 * --crl files when given; otherwise the CRLs in the home's CRL cache (what `sealmail crl import`
 * stored or the app refreshed), so a revoked signer is reported offline too (seed 003). With
 * neither, the verdict says revocation checking is not configured.
 */
async function revocationFor(flags: OpenFlags, context: CliContext): Promise<RevocationChecker | undefined> {
  if (flags.crl?.length) return revocationFromFiles(flags.crl);
  const cache = crlCacheOf(context.home());
  return cache ? cachedRevocationChecker(cache, 'warn') : undefined;
}

function summary(report: OpenReport): string {
  const lines = [
    `encrypted: ${report.encrypted ? (report.decrypted ? 'yes, decrypted' : 'yes, not decrypted') : 'no'}`,
    `signature: ${report.signature}${report.signer ? ` by ${report.signer.email ?? report.signer.subject}` : ''}`,
  ];
  if (report.fromMatchesSigner !== null)
    lines.push(`from matches signer: ${report.fromMatchesSigner ? 'yes' : 'no'}`);
  for (const e of report.errors) lines.push(`error ${e.code}: ${e.message}`);
  for (const w of report.warnings) lines.push(`warning ${w.code}: ${w.message}`);
  return lines.join('\n');
}

export async function runOpen(flags: OpenFlags, context: CliContext): Promise<void> {
  if (flags.keyFile && !flags.passwordFile)
    throw new SealmailError('INVALID_REQUEST', '--key-file needs --password-file.');
  if (flags.out === '-' && flags.json) {
    throw new SealmailError(
      'INVALID_REQUEST',
      '--out - and --json both want stdout; write the message to a file.',
    );
  }
  const at = parseAt(flags.at);
  const input = await readInput(flags.in, 'message');
  const keys =
    flags.keyFile && flags.passwordFile ? await unlockKeyFile(flags.keyFile, flags.passwordFile) : null;
  const anchors: CertificateInfo[] = [];
  for (const file of flags.trust ?? []) anchors.push(...(await readCertificates(file, 'trust anchor')));
  if (!flags.trust?.length) anchors.push(...anchorsFromKeyFile(keys));
  const opened = await openMessage(input, {
    anchors,
    at,
    revocation: await revocationFor(flags, context),
    decrypt: keys ? decryptorFor(keys) : undefined,
  });
  const { report } = opened;
  if (report.encrypted && !report.decrypted) {
    // The contract's "no matching key": without a key the content cannot be processed.
    throw new SealmailError(
      'NO_MATCHING_KEY',
      'The message is encrypted; give --key-file and --password-file with the key it was encrypted to.',
    );
  }
  if (flags.out) await writeOutput(flags.out, opened.messageParts, 'opened message');
  // Exactly the keys and order of the issue 3 contract.
  const json = {
    encrypted: report.encrypted,
    decrypted: report.decrypted,
    signed: report.signed,
    signature: report.signature,
    signer: report.signer,
    from: report.from,
    fromMatchesSigner: report.fromMatchesSigner,
    errors: report.errors,
    warnings: report.warnings,
  };
  context.out(flags.json ? JSON.stringify(json) : summary(report));
}

export function registerOpenCommand(program: Command, context: CliContext): void {
  program
    .command('open')
    .description('decrypt and verify a message and report the verdict')
    .requiredOption('--in <file>', 'the received message, or - for stdin')
    .option('--out <file>', 'where to write the opened message, or - for stdout')
    .option('--key-file <file>', 'your Sealmail key file (PKCS#12), to decrypt')
    .option('--password-file <file>', 'a file holding the key file’s password')
    .option('--trust <file...>', 'trusted CA certificates (PEM or DER); default: the roots in the key file')
    .option('--crl <file...>', 'certificate revocation lists (DER or PEM)')
    .option('--at <time>', 'check validity and revocation at this time instead of now (ISO 8601)')
    .option('--json', 'print the verdict as one JSON object')
    .action((flags: OpenFlags) => runOpen(flags, context));
}
