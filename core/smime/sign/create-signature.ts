// Creates a CMS SignedData (RFC 5652 §5) with one signer over canonical content: detached for
// multipart/signed (RFC 8551 §3.5), or carrying the content for opaque signed-data (§3.4.2).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SealmailError } from '../../errors.js';
import { oids } from '../../asn1/oids.js';
import { viewOf } from '../../asn1/parse-der.js';
import { cryptoEngine } from '../../crypto/engine.js';
import { concatBytes } from '../../mime/message-bytes.js';
import type { Micalg } from '../../mime/build-entities.js';
import { webCryptoDigest, type ContentDigest } from './content-digest.js';
import { buildSignedAttributes } from './signed-attributes.js';
import type { SignatureHash, SigningIdentity } from './signing-identity.js';

export interface SignatureOptions {
  /** How to digest the content (default: WebCrypto, see content-digest.ts). */
  digest?: ContentDigest;
  /** true (default): no eContent, for multipart/signed. */
  detached?: boolean;
  hash?: SignatureHash;
  signingTime?: Date;
}

export function micalgFor(hash: SignatureHash): Micalg {
  return hash === 'SHA-384' ? 'sha-384' : hash === 'SHA-512' ? 'sha-512' : 'sha-256';
}

/**
 * `content` may come as pieces that concatenate to it (a header and a 25 MB body that is a view
 * into the input). `identity` may still be on its way (the key file unlocking, bench/smime.ts):
 * the content is digested first, the one pass over it, and the key is awaited only to sign.
 */
export async function createSignature(
  content: Uint8Array | readonly Uint8Array[],
  identity: SigningIdentity | PromiseLike<SigningIdentity>,
  options: SignatureOptions = {},
): Promise<Uint8Array> {
  const hash = options.hash ?? 'SHA-256';
  const detached = options.detached ?? true;
  const pieces = content instanceof Uint8Array ? [content] : content;
  const digest = await (options.digest ?? webCryptoDigest)(hash, pieces);
  // Opaque signed-data carries the content itself (RFC 8551 §3.4.2), so it is joined there.
  const eContent = detached ? null : concatBytes(pieces);
  return signDigest(digest, await identity, { hash, signingTime: options.signingTime }, eContent);
}

async function signDigest(
  digest: Uint8Array,
  identity: SigningIdentity,
  options: { hash: SignatureHash; signingTime?: Date },
  eContent: Uint8Array<ArrayBuffer> | null,
): Promise<Uint8Array> {
  const { hash } = options;
  const certificate = identity.certificate.certificate;
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: oids.data,
      ...(eContent ? { eContent: new asn1js.OctetString({ valueHex: eContent.buffer }) } : {}),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: certificate.issuer,
          serialNumber: certificate.serialNumber,
        }),
        signedAttrs: buildSignedAttributes({
          contentType: oids.data,
          digest,
          signingTime: options.signingTime ?? new Date(),
          encryptionCertificate: identity.encryptionCertificate,
        }),
      }),
    ],
    // The signer's chain is included (issue 3) so that recipients can build the path, and the
    // encryption certificate that SMIMEEncryptionKeyPreference names (RFC 8551 §2.5.3).
    certificates: [
      certificate,
      ...identity.chain.map((info) => info.certificate),
      ...(identity.encryptionCertificate ? [identity.encryptionCertificate.certificate] : []),
    ],
  });
  try {
    await signedData.sign(identity.privateKey, 0, hash, undefined, cryptoEngine());
  } catch (error) {
    throw new SealmailError(
      'UNSUPPORTED_ALGORITHM',
      `The message cannot be signed with this key: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  const contentInfo = new pkijs.ContentInfo({
    contentType: oids.signedData,
    content: signedData.toSchema(true),
  });
  return viewOf(contentInfo.toSchema().toBER());
}
