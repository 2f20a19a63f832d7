// Opens a received message in the worker (ARCHITECTURE.md "Reading"): decrypts with the key
// file's encryption keys, current and previous, so mail sent before a renewal stays readable;
// verifies against the organisation's CA (the self-signed CA certificates main keeps from the key
// file, or main's copy of them, so a signed, unencrypted message opens without any password); and asks main about
// revocation. The password is asked for (KEYFILE_LOCKED) only when an encrypted layer is reached.
import { SealmailError } from '../../../../core/errors.js';
import { encryptionKeysOf, type KeyFileContents } from '../../../../core/keyfile/key-file.js';
import { readCertificateInfo, type CertificateInfo } from '../../../../core/pki/certificate-info.js';
import { decryptContent } from '../../../../core/smime/envelope/index.js';
import { openMessage, type Decryptor } from '../../../../core/smime/open.js';
import type { OpenedMessage } from '../crypto-client.js';
import type { KeyAccess } from './key-access.js';
import { revocationRelay } from './revocation-relay.js';
import { signerCertificates } from './signer-certificates.js';
import type { Invoke } from './worker-ipc.js';

export interface OpenRequest {
  accountId: string;
  raw: Uint8Array;
  password?: string;
}

/** As `sealmail open` without --trust: the self-signed CA certificates are the anchors. */
function anchorsOf(certificates: readonly Uint8Array[]): CertificateInfo[] {
  return certificates
    .map((der) => readCertificateInfo(der, 'A CA certificate of your key file'))
    .filter((info) => info.selfIssued);
}

function decryptorWith(contents: () => Promise<KeyFileContents>, decrypted: Uint8Array[]): Decryptor {
  return async (der) => {
    const keys = encryptionKeysOf(await contents()).map((key) => ({
      certificate: key.certificate,
      privateKey: key.privateKey,
    }));
    if (keys.length === 0) {
      throw new SealmailError(
        'NO_MATCHING_KEY',
        'Your key file has no encryption key, so the message cannot be decrypted.',
      );
    }
    const { content, warnings } = await decryptContent(der, keys);
    decrypted.push(content);
    return { content, warnings };
  };
}

export async function open(invoke: Invoke, keys: KeyAccess, request: OpenRequest): Promise<OpenedMessage> {
  const { accountId } = request;
  const policy = await invoke('policy.get', {});
  // The CA certificates of the key file when it is unlocked; else main's copy of the same ones.
  const kept = await keys.kept(accountId);
  const caCertificates =
    kept?.caCertificates ??
    (await invoke('security.status', { accountId })).certificates
      .filter((certificate) => certificate.role === 'ca')
      .map((certificate) => certificate.der);
  // The key file is opened once, and only if an encrypted layer needs it.
  let contents: Promise<KeyFileContents> | null = null;
  const decrypted: Uint8Array[] = [];
  const anchors = anchorsOf(caCertificates);
  const opened = await openMessage(request.raw, {
    anchors,
    revocation: revocationRelay(invoke, accountId),
    decrypt: decryptorWith(() => (contents ??= keys.keys(accountId, request.password)), decrypted),
    maxMessageBytes: policy.maxMessageBytes.value,
  });
  const { report } = opened;
  return {
    report,
    content: opened.message,
    signerCertificates: report.signed
      ? signerCertificates(request.raw, decrypted, report.signer, anchors)
      : [],
  };
}
