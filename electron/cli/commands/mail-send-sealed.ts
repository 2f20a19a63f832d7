// The S/MIME half of `sealmail mail send` (issue 4): --sign, --encrypt, the key file, the KM
// directory and seed 004's choice for recipients without a usable certificate. The work itself is
// in electron/services/secure-send; this reads the flags and files and says what happened.
import type { OutgoingMessage } from '../../../core/api/schemas.js';
import type { OutboxItem } from '../../../core/api/types.js';
import { SealmailError } from '../../../core/errors.js';
import type { StoredAccount } from '../../services/accounts/stored-account.js';
import { crlCacheOf } from '../../services/crl/cached-revocation.js';
import { kmEndpoint } from '../../services/enrollment/km-address.js';
import type { OutboxService } from '../../services/outbox/outbox-service.js';
import { harvestedCertificate } from '../../services/secure-send/harvested-certificates.js';
import { lacksCertificateChoice } from '../../services/secure-send/recipient-choice.js';
import { sealAndQueue, type SecureSendOutcome } from '../../services/secure-send/secure-send.js';
import type { CliContext } from '../program.js';
import { signingIdentityOf, unlockKeyFile } from './smime-inputs.js';

export interface SealedSendFlags {
  sign?: boolean;
  encrypt?: boolean;
  keyFile?: string;
  passwordFile?: string;
  km?: string;
  kmCa?: string;
  ifRecipientLacksCertificate: string;
}

export interface SealedSendSetup {
  queue(
    outbox: OutboxService,
    account: Pick<StoredAccount, 'id' | 'name' | 'email'>,
    message: OutgoingMessage,
  ): Promise<SecureSendOutcome>;
}

function usage(message: string): SealmailError {
  return new SealmailError('INVALID_REQUEST', message);
}

/** null for a plain send: then `mail send` works exactly as without S/MIME. */
export async function sealedSendSetup(
  flags: SealedSendFlags,
  context: CliContext,
): Promise<SealedSendSetup | null> {
  const choice = lacksCertificateChoice(flags.ifRecipientLacksCertificate);
  if (!flags.sign && !flags.encrypt) {
    if (flags.keyFile || flags.km)
      throw usage('--key-file and --km are for --sign or --encrypt; add one of them, or leave these out.');
    return null;
  }
  if (!flags.keyFile || !flags.passwordFile)
    throw usage('--sign and --encrypt need --key-file and --password-file.');
  if (flags.kmCa && !flags.km) throw usage('--km-ca goes with --km https://HOST:PORT.');
  const keys = await unlockKeyFile(flags.keyFile, flags.passwordFile);
  const signer = flags.sign ? await signingIdentityOf(keys) : null;
  const km = flags.encrypt && flags.km ? await kmEndpoint(flags.km, flags.kmCa) : null;
  const home = context.home();
  return {
    async queue(outbox, account, message) {
      return sealAndQueue(outbox, {
        account,
        message,
        keys,
        signer,
        encrypt: flags.encrypt ?? false,
        km,
        harvested: (email) => harvestedCertificate(home, email),
        crlCache: crlCacheOf(home),
        ifRecipientLacksCertificate: choice,
      });
    },
  };
}

/** Says who was left out and why, or why it went in the clear; returns the queued item. */
export function reportSealed(context: CliContext, outcome: SecureSendOutcome): OutboxItem {
  for (const caution of outcome.cautions)
    context.err(`sealmail: warning: ${caution.code}: ${caution.message}`);
  for (const lookup of outcome.dropped) {
    context.err(`removed ${lookup.email}: ${lookup.reason}`);
  }
  if (outcome.unencryptedBecause.length > 0) {
    const who = outcome.unencryptedBecause.map((lookup) => `${lookup.email} (${lookup.reason})`);
    context.err(`sent unencrypted to everyone, as asked: no usable certificate for ${who.join(', ')}`);
  }
  const how = [outcome.signed ? 'signed' : null, outcome.encrypted ? 'encrypted' : null].filter(Boolean);
  context.out(`sealed (${how.join(' and ') || 'in the clear'})`);
  return outcome.item;
}
