// Creates a CMS SignedData (RFC 5652 §5) with one signer over canonical content: detached for
// multipart/signed (RFC 8551 §3.5), or carrying the content for opaque signed-data (§3.4.2).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SealmailError } from '../../errors.js';
import { oids } from '../../asn1/oids.js';
import { viewOf } from '../../asn1/parse-der.js';
import { cryptoEngine, subtle } from '../../crypto/engine.js';
import type { Micalg } from '../../mime/build-entities.js';
import { buildSignedAttributes } from './signed-attributes.js';
import type { SignatureHash, SigningIdentity } from './signing-identity.js';

export interface SignatureOptions {
  /** true (default): no eContent, for multipart/signed. */
  detached?: boolean;
  hash?: SignatureHash;
  signingTime?: Date;
}

export function micalgFor(hash: SignatureHash): Micalg {
  return hash === 'SHA-384' ? 'sha-384' : hash === 'SHA-512' ? 'sha-512' : 'sha-256';
}

export async function createSignature(
  content: Uint8Array,
  identity: SigningIdentity,
  options: SignatureOptions = {},
): Promise<Uint8Array> {
  const hash = options.hash ?? 'SHA-256';
  const detached = options.detached ?? true;
  const certificate = identity.certificate.certificate;
  const digest = new Uint8Array(await subtle().digest(hash, content as Uint8Array<ArrayBuffer>));
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: oids.data,
      ...(detached ? {} : { eContent: new asn1js.OctetString({ valueHex: content.slice().buffer }) }),
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
    // The signer's chain is included (issue 3) so that recipients can build the path.
    certificates: [certificate, ...identity.chain.map((info) => info.certificate)],
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
