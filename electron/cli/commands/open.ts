// `sealmail open`: decrypts and verifies a message and reports the verdict (issue 3 CLI
// contract). Exit code 0 whenever a verdict was produced, whatever it says; a coded error when
// the input cannot be processed (no matching key, wrong password, not a message). After a valid
// signature it remembers the signer's encryption certificate in the home (issue 4: the second
// place `mail send --encrypt` looks), unless --no-harvest.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import { encryptionKeysOf, type KeyFileContents } from '../../../core/keyfile/key-file-contents.js';
import type { CertificateInfo } from '../../../core/pki/certificate-info.js';
import { readCertificateInfo } from '../../../core/pki/certificate-info.js';
import type { RevocationChecker } from '../../../core/pki/revocation.js';
import { decryptContent } from '../../../core/smime/envelope/index.js';
import { openMessage, type Decryptor, type OpenReport } from '../../../core/smime/open.js';
import { harvestCertificate } from '../../services/secure-send/harvested-certificates.js';
import type { CliContext } from '../program.js';
import { startUnlock, withUnlock } from './early-unlock.js';
import { nodeDigest } from './node-digest.js';
import { readCertificates, readInput, revocationFromFiles, writeOutput } from './smime-inputs.js';

interface OpenFlags {
  in: string;
  out?: string;
  keyFile?: string;
  passwordFile?: string;
  trust?: string[];
  crl?: string[];
  at?: string;
  json?: boolean;
  /** false with --no-harvest. */
  harvest: boolean;
}

function decryptorFor(unlocking: Promise<KeyFileContents>): Decryptor {
  return async (der, use) => {
    const decryptionKeys = encryptionKeysOf(await unlocking).map((key) => ({
      certificate: key.certificate,
      privateKey: key.privateKey,
    }));
    if (decryptionKeys.length === 0) {
      throw new SealmailError(
        'NO_MATCHING_KEY',
        'The key file has no encryption key, so the message cannot be decrypted.',
      );
    }
    const { content, warnings } = await decryptContent(der, decryptionKeys, { inPlace: use?.mayOverwrite });
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
  // The cache's code loads its JSON schemas (zod), which alone took 0.1–0.3 s to load here
  // (bench/smime.ts), so it is loaded only when the home has a cache directory, named as
  // cached-revocation.ts names it (test/interop/crl-everywhere.test.ts opens through the cache).
  if (!existsSync(join(context.home().root, 'crl'))) return undefined;
  const { cachedRevocationChecker, crlCacheOf } = await import('../../services/crl/cached-revocation.js');
  const cache = crlCacheOf(context.home());
  return cache ? cachedRevocationChecker(cache, 'warn') : undefined;
}

/**
 * Only a valid signature (trusted chain, in date, not revoked) earns its certificate a place
 * among the harvested ones; `mail send` checks it again before encrypting to it. A failure to
 * save is a warning: the verdict stands.
 */
async function harvested(report: OpenReport, context: CliContext): Promise<string[]> {
  if (report.signature !== 'valid' || !report.signerEncryptionCertificate) return [];
  try {
    return await harvestCertificate(context.home(), report.signerEncryptionCertificate);
  } catch (error) {
    context.err(
      `sealmail: warning: the signer's encryption certificate was not saved: ${(error as Error).message}`,
    );
    return [];
  }
}

function summary(report: OpenReport, saved: readonly string[]): string {
  const lines = [
    `encrypted: ${report.encrypted ? (report.decrypted ? 'yes, decrypted' : 'yes, not decrypted') : 'no'}`,
    `signature: ${report.signature}${report.signer ? ` by ${report.signer.email ?? report.signer.subject}` : ''}`,
  ];
  if (report.fromMatchesSigner !== null)
    lines.push(`from matches signer: ${report.fromMatchesSigner ? 'yes' : 'no'}`);
  for (const e of report.errors) lines.push(`error ${e.code}: ${e.message}`);
  for (const w of report.warnings) lines.push(`warning ${w.code}: ${w.message}`);
  for (const email of saved) lines.push(`encryption certificate of ${email} saved for encrypted replies`);
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
  const unlocking = startUnlock(flags.keyFile, flags.passwordFile);
  const input = await readInput(flags.in, 'message');
  const opened = await withUnlock(unlocking, async () => {
    const anchors: CertificateInfo[] = [];
    for (const file of flags.trust ?? []) anchors.push(...(await readCertificates(file, 'trust anchor')));
    if (!flags.trust?.length) anchors.push(...anchorsFromKeyFile(unlocking ? await unlocking : null));
    return openMessage(input, {
      anchors,
      at,
      revocation: await revocationFor(flags, context),
      decrypt: unlocking ? decryptorFor(unlocking) : undefined,
      // The file was read for this alone: decode and decrypt in its bytes (bench/smime.ts).
      inputIsDisposable: true,
      digest: nodeDigest,
    });
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
  const saved = flags.harvest ? await harvested(report, context) : [];
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
  context.out(flags.json ? JSON.stringify(json) : summary(report, saved));
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
    .option('--no-harvest', 'do not save the signer’s encryption certificate for encrypted replies')
    .action((flags: OpenFlags) => runOpen(flags, context));
}
