// `sealmail seal`: signs and/or encrypts a whole RFC 5322 message, keeping its header fields
// (issue 3 CLI contract). With --encrypt and a key file, the sender's own encryption certificate
// is always a recipient, so that the Sent copy stays readable.
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import { encryptionKeysOf, type KeyFileContents } from '../../../core/keyfile/key-file-contents.js';
import { encryptContentInPieces, type ContentCipherName } from '../../../core/smime/envelope/index.js';
import type { CertificateInfo } from '../../../core/pki/certificate-info.js';
import { sealMessageTo, type PieceEncryptor } from '../../../core/smime/seal.js';
import { crlCacheOf } from '../../services/crl/cached-revocation.js';
import { checkRecipientCertificates } from '../../services/crl/recipient-check.js';
import type { CliContext } from '../program.js';
import { awaitedLater, startUnlock, withUnlock } from './early-unlock.js';
import { nodeDigest } from './node-digest.js';
import { writeAsMade } from './seal-output.js';
import { readCertificates, readInput, signingIdentityOf } from './smime-inputs.js';

interface SealFlags {
  in: string;
  out: string;
  sign?: boolean;
  encrypt?: boolean;
  keyFile?: string;
  passwordFile?: string;
  recipientCert?: string[];
  cipher: string;
  opaque?: boolean;
  rsaPss?: boolean;
  tripleWrap?: boolean;
}

const ciphers: readonly ContentCipherName[] = ['aes-256-cbc', 'aes-128-cbc', 'aes-256-gcm'];

function usage(message: string): SealmailError {
  return new SealmailError('INVALID_REQUEST', message);
}

/**
 * The --recipient-cert certificates, each checked for validity and, against the home's CRL cache,
 * for revocation (issue 5): a revoked recipient is refused before anything is read or encrypted.
 */
async function checkedRecipients(flags: SealFlags, context: CliContext): Promise<Uint8Array[]> {
  const infos: CertificateInfo[] = [];
  for (const file of flags.recipientCert ?? []) {
    infos.push(...(await readCertificates(file, 'recipient certificate')));
  }
  if (infos.length === 0) return [];
  const cautions = await checkRecipientCertificates(infos, crlCacheOf(context.home()), new Date());
  for (const caution of cautions) context.err(`sealmail: warning: ${caution.code}: ${caution.message}`);
  return infos.map((info) => info.der);
}

function encryptorFor(
  flags: SealFlags,
  named: readonly Uint8Array[],
  unlocking: Promise<KeyFileContents> | null,
): { inPieces: PieceEncryptor } {
  const cipher = flags.cipher as ContentCipherName;
  const none = () =>
    usage(
      '--encrypt needs at least one --recipient-cert, or a --key-file with your own encryption certificate.',
    );
  if (named.length === 0 && !unlocking) throw none();
  return {
    inPieces: async (entity) => {
      const recipients = [...named];
      const own = unlocking ? encryptionKeysOf(await unlocking)[0] : undefined;
      if (own) recipients.push(own.certificate);
      if (recipients.length === 0) throw none();
      return {
        envelope: await encryptContentInPieces(entity, recipients, { cipher }),
        smimeType: cipher === 'aes-256-gcm' ? 'authEnveloped-data' : 'enveloped-data',
      };
    },
  };
}

export async function runSeal(flags: SealFlags, context: CliContext): Promise<void> {
  if (!flags.sign && !flags.encrypt) throw usage('Say what to do: --sign, --encrypt, or both.');
  if (flags.sign && !flags.keyFile) throw usage('--sign needs --key-file and --password-file.');
  if (flags.keyFile && !flags.passwordFile) throw usage('--key-file needs --password-file.');
  if (flags.tripleWrap && !(flags.sign && flags.encrypt))
    throw usage('--triple-wrap needs both --sign and --encrypt.');
  if (flags.encrypt && !ciphers.includes(flags.cipher as ContentCipherName)) {
    throw usage(`--cipher must be one of ${ciphers.join(', ')}.`);
  }
  const unlocking = startUnlock(flags.keyFile, flags.passwordFile);
  const recipients = flags.encrypt ? await checkedRecipients(flags, context) : [];
  const input = await readInput(flags.in, 'message');
  await withUnlock(unlocking, () =>
    writeAsMade(flags.out, 'sealed message', (write) =>
      sealMessageTo(
        input,
        {
          sign:
            flags.sign && unlocking
              ? {
                  identity: awaitedLater(
                    unlocking.then((keys) => signingIdentityOf(keys, flags.rsaPss ? 'pss' : 'pkcs1')),
                  ),
                  opaque: flags.opaque,
                  digest: nodeDigest,
                }
              : undefined,
          encrypt: flags.encrypt ? encryptorFor(flags, recipients, unlocking) : undefined,
          tripleWrap: flags.tripleWrap,
        },
        write,
      ),
    ),
  );
  if (flags.out !== '-') context.err(`Sealed message written to ${flags.out}.`);
}

export function registerSealCommand(program: Command, context: CliContext): void {
  program
    .command('seal')
    .description('sign and/or encrypt a message (S/MIME), keeping its header fields')
    .requiredOption('--in <file>', 'the plain RFC 5322 message, or - for stdin')
    .requiredOption('--out <file>', 'where to write the sealed message, or - for stdout')
    .option('--sign', 'sign with the key file’s signing key')
    .option('--key-file <file>', 'your Sealmail key file (PKCS#12)')
    .option('--password-file <file>', 'a file holding the key file’s password')
    .option('--encrypt', 'encrypt to the recipients (and to yourself, with --key-file)')
    .option('--recipient-cert <file...>', 'a recipient’s certificate (PEM or DER); repeat for more')
    .option('--cipher <name>', 'aes-256-cbc, aes-128-cbc or aes-256-gcm', 'aes-256-cbc')
    .option('--rsa-pss', 'sign with RSASSA-PSS instead of PKCS#1 v1.5 (RSA keys)')
    .option('--opaque', 'sign as application/pkcs7-mime signed-data instead of multipart/signed')
    .option('--triple-wrap', 'sign, encrypt, then sign again (RFC 2634)')
    .action((flags: SealFlags) => runSeal(flags, context));
}
