// Decrypts EnvelopedData or AuthEnvelopedData with the keys from the key file. Every key is
// tried, current and previous, so that old mail stays readable (issue 3). A key is tried only
// against a RecipientInfo addressed to its certificate (RFC 5652 §6.2): trial decryption with
// PKCS#1 v1.5 cannot tell a wrong key from a right one (see rsa-pkcs1.ts).
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { cipherSpec, ContentDecryptionFailed, openContent, type EnvelopeWarning } from './content-cipher.js';
import { KeyInHand, type DecryptionKey } from './decryption-key.js';
import { isContextTag } from './der.js';
import {
  keyAgreementName,
  readKeyAgreementRecipient,
  unwrapAgreedKey,
  type KeyAgreementInfo,
} from './key-agreement.js';
import {
  keyTransportName,
  readKeyTransportRecipient,
  unwrapTransportedKey,
  type KeyTransportInfo,
} from './key-transport.js';
import { readEnvelope, type EnvelopeStructure } from './read-envelope.js';
import { identifies } from './recipient-identifier.js';

export interface EnvelopeFacts {
  structure: EnvelopeStructure;
  /** e.g. 'aes-256-cbc', 'aes-256-gcm', 'des-ede3-cbc'. */
  contentCipher: string;
  /** e.g. 'rsa-pkcs1', 'rsa-oaep-sha256', 'ecdh-sha256kdf-aes256-wrap'. */
  keyManagement: string;
  /** The OID of the decrypted content: id-data for S/MIME. */
  contentType: string;
  recipientCount: number;
  /** Which of the supplied keys opened the message (0 = the first). */
  keyIndex: number;
}

export interface DecryptedContent {
  content: Uint8Array;
  algorithm: EnvelopeFacts;
  warnings: EnvelopeWarning[];
}

type Recipient =
  { kind: 'transport'; info: KeyTransportInfo } | { kind: 'agreement'; info: KeyAgreementInfo };

/** Reads the RecipientInfos Sealmail can use; kekri, pwri and ori (RFC 5652 §6.2.3–6.2.5) are skipped. */
function usableRecipients(nodes: asn1js.BaseBlock[]): Recipient[] {
  const recipients: Recipient[] = [];
  for (const node of nodes) {
    if (node instanceof asn1js.Sequence) {
      recipients.push({ kind: 'transport', info: readKeyTransportRecipient(node) });
    } else if (isContextTag(node, 1)) {
      try {
        recipients.push({ kind: 'agreement', info: readKeyAgreementRecipient(node) });
      } catch (error) {
        // An ECDH variant we cannot do may be meant for someone else; it matters only if no
        // other RecipientInfo is ours, and then NO_MATCHING_KEY says so.
        if (!(error instanceof SealmailError && error.code === 'UNSUPPORTED_ALGORITHM')) throw error;
      }
    }
  }
  return recipients;
}

function addressedTo(recipient: Recipient, key: KeyInHand): boolean {
  if (recipient.kind === 'transport') return identifies(recipient.info.rid, key.certificate);
  return recipient.info.recipients.some((entry) => identifies(entry.rid, key.certificate));
}

export interface DecryptOptions {
  /**
   * The ciphertext may be decrypted in the bytes of `der` (the caller will not read them again):
   * no second message-sized buffer. Only done when a single key is to be tried, since a failed
   * attempt would leave nothing for the next.
   */
  inPlace?: boolean;
}

export async function decryptContent(
  der: Uint8Array,
  keys: readonly DecryptionKey[],
  options: DecryptOptions = {},
): Promise<DecryptedContent> {
  const envelope = readEnvelope(der);
  const spec = cipherSpec(envelope.algorithm);
  const recipients = usableRecipients(envelope.recipientInfos);
  // A key whose certificate cannot be read cannot be matched; the others still can.
  let unreadableKey: SealmailError | undefined;
  const held: KeyInHand[] = [];
  keys.forEach((key, index) => {
    try {
      held.push(new KeyInHand(index, key));
    } catch (error) {
      if (!(error instanceof SealmailError)) throw error;
      unreadableKey ??= error;
    }
  });

  const attempts = held.flatMap((key) =>
    recipients.filter((recipient) => addressedTo(recipient, key)).map((recipient) => ({ key, recipient })),
  );
  if (attempts.length === 0) {
    if (held.length === 0 && unreadableKey) throw unreadableKey;
    throw new SealmailError(
      'NO_MATCHING_KEY',
      `This message is encrypted to ${envelope.recipientInfos.length} recipient(s), none of them ` +
        `one of your ${keys.length} key(s). Ask the sender to encrypt it to your current certificate.`,
    );
  }

  let keyProblem: SealmailError | undefined;
  for (const { key, recipient } of attempts) {
    try {
      const contentKey =
        recipient.kind === 'transport'
          ? await unwrapTransportedKey(recipient.info, key, spec.keyLength)
          : await unwrapAgreedKey(recipient.info, key, spec.keyLength);
      const opened = await openContent(
        envelope.algorithm,
        contentKey,
        envelope.ciphertext,
        envelope.authenticated,
        options.inPlace === true && attempts.length === 1,
      );
      return {
        content: opened.content,
        warnings: opened.warnings,
        algorithm: {
          structure: envelope.structure,
          contentCipher: opened.cipher,
          keyManagement:
            recipient.kind === 'transport'
              ? keyTransportName(recipient.info)
              : keyAgreementName(recipient.info),
          contentType: envelope.contentType,
          recipientCount: envelope.recipientInfos.length,
          keyIndex: key.index,
        },
      };
    } catch (error) {
      if (error instanceof ContentDecryptionFailed) continue;
      // A key we could not use (not extractable, an algorithm we lack): try the others first.
      if (
        error instanceof SealmailError &&
        (error.code === 'MALFORMED_KEY' || error.code === 'UNSUPPORTED_ALGORITHM')
      ) {
        keyProblem ??= error;
        continue;
      }
      throw error;
    }
  }
  throw (
    keyProblem ??
    new SealmailError(
      'DECRYPTION_FAILED',
      'This message is addressed to your key but cannot be decrypted: it was damaged or altered ' +
        'on the way. Ask the sender to send it again.',
    )
  );
}
