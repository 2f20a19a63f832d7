// `mail send --sign/--encrypt` (issue 4): decide the recipients by their certificates, compose,
// seal (signed inside encrypted, the sender's own certificate always a recipient so the Sent copy
// stays readable), and only then queue: the outbox only ever holds the sealed message.
import type { OutgoingMessage } from '../../../core/api/schemas.js';
import type { OutboxItem } from '../../../core/api/types.js';
import { SealmailError, type ErrorInfo } from '../../../core/errors.js';
import { encryptionKeysOf, type KeyFileContents } from '../../../core/keyfile/key-file-contents.js';
import { readCertificateInfo } from '../../../core/pki/certificate-info.js';
import { encryptContentParts } from '../../../core/smime/envelope/index.js';
import { sealMessage, type Encryptor } from '../../../core/smime/seal.js';
import type { SigningIdentity } from '../../../core/smime/sign/signing-identity.js';
import type { StoredAccount } from '../accounts/stored-account.js';
import { composeMessage, envelopeRecipients } from '../compose/compose-message.js';
import type { CrlCache } from '../crl/crl-cache.js';
import type { KmEndpoint } from '../enrollment/km-address.js';
import type { OutboxService } from '../outbox/outbox-service.js';
import { lookUpRecipient, type LackingRecipient, type RecipientLookup } from './recipient-certificates.js';
import { planSend, type LacksCertificateChoice } from './recipient-choice.js';

export interface SecureSendRequest {
  account: Pick<StoredAccount, 'id' | 'name' | 'email'>;
  message: OutgoingMessage;
  keys: KeyFileContents;
  /** Present with --sign. */
  signer: SigningIdentity | null;
  encrypt: boolean;
  km: KmEndpoint | null;
  harvested: (email: string) => Promise<Uint8Array | null>;
  crlCache: CrlCache | null;
  ifRecipientLacksCertificate: LacksCertificateChoice;
  now?: Date;
}

export interface SecureSendOutcome {
  item: OutboxItem;
  encrypted: boolean;
  signed: boolean;
  /** Left out by `remove`, each with the reason. */
  dropped: LackingRecipient[];
  /** Why the message went in the clear with `send-unencrypted`. */
  unencryptedBecause: LackingRecipient[];
  cautions: ErrorInfo[];
}

function only(addresses: readonly string[], keep: ReadonlySet<string>): string[] {
  return addresses.filter((address) => keep.has(address.toLowerCase()));
}

function encryptorTo(certificates: readonly Uint8Array[]): Encryptor {
  return async (entity) => ({
    der: await encryptContentParts(entity, [...certificates], { cipher: 'aes-256-cbc' }),
    smimeType: 'enveloped-data',
  });
}

export async function sealAndQueue(
  outbox: OutboxService,
  request: SecureSendRequest,
): Promise<SecureSendOutcome> {
  const now = request.now ?? new Date();
  const { keys, message } = request;
  let encrypt = false;
  let certificates: Uint8Array[] = [];
  let dropped: LackingRecipient[] = [];
  let unencryptedBecause: LackingRecipient[] = [];
  let cautions: ErrorInfo[] = [];
  let toSend = message;
  if (request.encrypt) {
    const own = encryptionKeysOf(keys)[0];
    if (!own) {
      throw new SealmailError(
        'NO_MATCHING_KEY',
        'The key file has no encryption certificate of your own, so the Sent copy could not be read; enroll again (`sealmail enroll`).',
      );
    }
    const anchors = keys.caCertificates.map((der) =>
      readCertificateInfo(der, 'A CA certificate in the key file'),
    );
    const lookups: RecipientLookup[] = [];
    for (const email of envelopeRecipients(message)) {
      lookups.push(
        await lookUpRecipient(email, {
          km: request.km,
          harvested: request.harvested,
          anchors,
          crlCache: request.crlCache,
          now,
        }),
      );
    }
    const plan = planSend(lookups, request.ifRecipientLacksCertificate);
    dropped = plan.dropped;
    cautions = lookups.flatMap((lookup) => (lookup.usable ? lookup.cautions : []));
    if (plan.encrypt) {
      encrypt = true;
      certificates = [...plan.certificates, own.certificate];
      const keep = new Set(plan.keep.map((email) => email.toLowerCase()));
      toSend = {
        ...message,
        to: only(message.to, keep),
        cc: only(message.cc, keep),
        bcc: only(message.bcc, keep),
      };
    } else {
      unencryptedBecause = plan.unencryptedBecause;
    }
  }
  const composed = await composeMessage(request.account, toSend, now);
  const signer = request.signer;
  const sealed =
    signer || encrypt
      ? await sealMessage(composed.raw, {
          sign: signer ? { identity: signer } : undefined,
          encrypt: encrypt ? encryptorTo(certificates) : undefined,
        })
      : composed.raw;
  const item = await outbox.enqueueRaw(request.account.id, sealed, composed.envelope);
  return { item, encrypted: encrypt, signed: signer !== null, dropped, unencryptedBecause, cautions };
}
