// Verifies one CMS signature and returns a verdict (issue 3). The checks, in order:
//   structure  exactly one SignerInfo (C2, C3); detached means no eContent (C1);
//   integrity  contentType and messageDigest signed attributes (RFC 5652 §11.1, §11.2), then
//              the signature over the DER SET OF signed attributes (RFC 5652 §5.4);
//   signer     the certificate named by the SignerInfo, allowed to sign mail (RFC 8550 §4.4);
//   trust      a chain to a configured anchor (C4), validity at signing time and now, and
//              CRL status through the RevocationChecker seam.
// pkijs's SignedData.verify is not used: it ignores eContent/detached conflicts and does not
// check that the contentType attribute matches, and it hashes the content a second time.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SealmailError, type ErrorInfo } from '../../errors.js';
import { oids } from '../../asn1/oids.js';
import { viewOf } from '../../asn1/parse-der.js';
import { cryptoEngine, subtle } from '../../crypto/engine.js';
import { bytesEqual } from '../../mime/message-bytes.js';
import { buildChain, validityProblems } from '../../pki/chain/build-chain.js';
import { certificateInfo, mailSigningProblem, type CertificateInfo } from '../../pki/certificate-info.js';
import type { RevocationChecker } from '../../pki/revocation.js';
import { signerEncryptionCertificate } from './encryption-certificate.js';
import { webCryptoDigest, type ContentDigest, type DigestName } from '../sign/content-digest.js';
import type { SignedDataObject } from './signed-data.js';
import {
  entry,
  invalidSignature,
  worseStatus,
  type SignatureStatus,
  type SignatureVerdict,
} from './verdict.js';

export interface TrustSettings {
  /** The configured trust anchors (the organisation's root CAs). */
  anchors: readonly CertificateInfo[];
  revocation?: RevocationChecker;
  /** "Now" for validity and revocation; defaults to the current time. */
  at?: Date;
  /**
   * How to digest the signed content (default WebCrypto, which copies it first; the CLI passes
   * node:crypto's, which reads a 25 MB message where it lies: bench/smime.ts).
   */
  digest?: ContentDigest;
}

const digestNames: Record<string, DigestName> = {
  [oids.sha1]: 'SHA-1',
  [oids.sha256]: 'SHA-256',
  [oids.sha384]: 'SHA-384',
  [oids.sha512]: 'SHA-512',
};

function attributeValues(signerInfo: pkijs.SignerInfo, type: string): asn1js.AsnType[][] {
  return (signerInfo.signedAttrs?.attributes ?? [])
    .filter((attribute) => attribute.type === type)
    .map((attribute) => attribute.values as asn1js.AsnType[]);
}

async function findSigner(signedData: pkijs.SignedData, certificates: CertificateInfo[]) {
  const sid = signedData.signerInfos[0].sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find(
      (info) =>
        info.certificate.issuer.isEqual(sid.issuer) &&
        info.certificate.serialNumber.isEqual(sid.serialNumber),
    );
  }
  // subjectKeyIdentifier [0] (RFC 5652 §5.3): match the extension, else the SHA-1 of the key.
  const block = sid as asn1js.BaseBlock;
  const inner = block.idBlock.isConstructed ? (block as asn1js.Constructed).valueBlock.value[0] : block;
  const keyId = viewOf((inner as asn1js.OctetString).valueBlock.valueHexView);
  for (const info of certificates) {
    const ski = info.certificate.extensions?.find((e) => e.extnID === oids.subjectKeyIdentifier)?.parsedValue;
    if (ski instanceof asn1js.OctetString && bytesEqual(viewOf(ski.valueBlock.valueHexView), keyId))
      return info;
    const key = viewOf(info.certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
    const hash = new Uint8Array(await subtle().digest('SHA-1', key as Uint8Array<ArrayBuffer>));
    if (bytesEqual(hash, keyId)) return info;
  }
  return undefined;
}

function signingTimeOf(signerInfo: pkijs.SignerInfo): Date | null {
  const value = attributeValues(signerInfo, oids.signingTime)[0]?.[0];
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) {
    const date = value.toDate();
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

async function checkIntegrity(
  object: SignedDataObject,
  signerInfo: pkijs.SignerInfo,
  signer: CertificateInfo,
  content: Uint8Array,
  digestOf: ContentDigest,
): Promise<string | null> {
  const hashName = digestNames[signerInfo.digestAlgorithm.algorithmId];
  if (!hashName) return `its digest algorithm ${signerInfo.digestAlgorithm.algorithmId} is not supported`;
  let signedBytes: ArrayBuffer | Uint8Array = content;
  if (signerInfo.signedAttrs) {
    const contentTypes = attributeValues(signerInfo, oids.contentType);
    const digests = attributeValues(signerInfo, oids.messageDigest);
    // RFC 5652 §11.1, §11.2: each exactly once, with exactly one value.
    if (contentTypes.length !== 1 || contentTypes[0].length !== 1)
      return 'it must sign exactly one content type';
    if (digests.length !== 1 || digests[0].length !== 1) return 'it must sign exactly one message digest';
    const signedType = contentTypes[0][0];
    if (
      !(signedType instanceof asn1js.ObjectIdentifier) ||
      signedType.valueBlock.toString() !== object.contentType
    ) {
      return 'the content type it signed is not the content type of the message';
    }
    const signedDigest = digests[0][0];
    if (!(signedDigest instanceof asn1js.OctetString)) return 'its message digest is not an OCTET STRING';
    const digest = await digestOf(hashName, [content]);
    if (!bytesEqual(digest, viewOf(signedDigest.valueBlock.valueHexView))) {
      return 'the message was changed after it was signed (the digest does not match)';
    }
    signedBytes = signerInfo.signedAttrs.encodedValue;
  } else if (object.contentType !== oids.data) {
    // RFC 5652 §5.3: signed attributes are required when the content is not id-data.
    return 'it has no signed attributes although its content is not plain data';
  }
  try {
    const rsa = signerInfo.signatureAlgorithm.algorithmId === oids.rsaEncryption;
    const verified = await cryptoEngine().verifyWithPublicKey(
      signedBytes as ArrayBuffer,
      signerInfo.signature,
      signer.certificate.subjectPublicKeyInfo,
      signerInfo.signatureAlgorithm,
      rsa ? hashName : undefined,
    );
    return verified ? null : 'the signature does not match the signer’s key';
  } catch (error) {
    return `the signature cannot be checked: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function summaryOf(info: CertificateInfo) {
  return { email: info.emails[0] ?? null, subject: info.subject, serial: info.serialHex };
}

/**
 * Verifies `object` over `content`: the detached content for multipart/signed (`detached`
 * true), or its own eContent for opaque signed-data.
 */
export async function verifySignature(
  object: SignedDataObject,
  detachedContent: Uint8Array | null,
  trust: TrustSettings,
): Promise<SignatureVerdict> {
  const { signedData } = object;
  if (detachedContent !== null && object.content !== null) {
    return invalidSignature(
      'SIGNATURE_INVALID',
      'The detached signature also carries content of its own (C1), so it is rejected: the content shown and the content signed could differ.',
    );
  }
  const content = detachedContent ?? object.content;
  if (content === null)
    return invalidSignature(
      'SIGNATURE_INVALID',
      'The signature carries no content and none was attached to it.',
    );
  if (signedData.signerInfos.length === 0)
    return invalidSignature('SIGNATURE_INVALID', 'The signature has no signer (C3).');
  if (signedData.signerInfos.length > 1) {
    return invalidSignature(
      'SIGNATURE_INVALID',
      `The signature has ${signedData.signerInfos.length} signers; Sealmail accepts exactly one (C2).`,
    );
  }
  const signerInfo = signedData.signerInfos[0];
  const carried = object.certificates.map(({ certificate, der }) => certificateInfo(certificate, der));
  const signer = await findSigner(signedData, carried);
  if (!signer)
    return invalidSignature(
      'SIGNATURE_INVALID',
      'The signer’s certificate is not included in the signature, so it cannot be checked.',
    );

  const verdict: SignatureVerdict = {
    status: 'valid',
    signer: summaryOf(signer),
    signerEmails: signer.emails,
    signingTime: signingTimeOf(signerInfo),
    errors: [],
    warnings: [],
    signerEncryptionCertificate: signerEncryptionCertificate(signerInfo, signer, carried)?.der,
  };
  const fail = (status: SignatureStatus, info: ErrorInfo) => {
    verdict.status = worseStatus(verdict.status, status) as SignatureVerdict['status'];
    verdict.errors.push(info);
  };

  const integrity = await checkIntegrity(
    object,
    signerInfo,
    signer,
    content,
    trust.digest ?? webCryptoDigest,
  );
  if (integrity) {
    fail('invalid', entry('SIGNATURE_INVALID', `The signature is not valid: ${integrity}.`));
    return verdict;
  }
  if (signerInfo.digestAlgorithm.algorithmId === oids.sha1) {
    verdict.warnings.push(
      entry(
        'LEGACY_ALGORITHM',
        'The signature uses SHA-1, which is no longer considered safe (RFC 8551 §2.1).',
      ),
    );
  }
  const usage = mailSigningProblem(signer);
  if (usage)
    fail('invalid', entry('SIGNATURE_INVALID', `The signer’s certificate may not sign e-mail: ${usage}.`));

  const chain = await buildChain(
    signer,
    carried.filter((info) => info !== signer),
    trust.anchors,
  );
  if (!chain.trusted) {
    fail('untrusted', entry('SIGNER_UNTRUSTED', `The signer is not trusted: ${chain.reason}.`));
  }
  const now = trust.at ?? new Date();
  const problems = validityProblems(chain.path, now).map((p) => `${p} (checked at ${now.toISOString()})`);
  if (verdict.signingTime) {
    for (const p of validityProblems([signer], verdict.signingTime))
      problems.push(`${p} (at the claimed signing time)`);
  }
  for (const problem of problems)
    fail('expired', entry('SIGNER_EXPIRED', `A certificate was not valid: ${problem}.`));
  if (!trust.revocation) {
    verdict.warnings.push(
      entry(
        'REVOCATION_UNKNOWN',
        'Revocation was not checked: no certificate revocation list is configured.',
      ),
    );
  } else if (chain.trusted) {
    await checkRevocation(chain.path, now, trust.revocation, verdict, fail);
  }
  return verdict;
}

async function checkRevocation(
  path: readonly CertificateInfo[],
  at: Date,
  checker: RevocationChecker,
  verdict: SignatureVerdict,
  fail: (status: SignatureStatus, info: ErrorInfo) => void,
): Promise<void> {
  // The anchor is trusted by configuration; every certificate below it is checked.
  for (let i = 0; i + 1 < path.length; i++) {
    let answer;
    try {
      answer = await checker.status(path[i].der, path[i + 1].der, at);
    } catch (error) {
      const detail = error instanceof SealmailError ? error.message : String(error);
      verdict.warnings.push(
        entry('REVOCATION_UNKNOWN', `Revocation of "${path[i].subject}" could not be checked: ${detail}`),
      );
      continue;
    }
    if (answer.warning) verdict.warnings.push(answer.warning);
    if (answer.status === 'revoked') {
      fail(
        'revoked',
        entry(
          'SIGNER_REVOKED',
          `"${path[i].subject}" was revoked on ${answer.revokedAt.toISOString()}${answer.reason ? ` (${answer.reason})` : ''}.`,
        ),
      );
    } else if (answer.status === 'unknown') {
      verdict.warnings.push(
        entry('REVOCATION_UNKNOWN', `Revocation of "${path[i].subject}" was not checked: ${answer.reason}.`),
      );
    }
  }
}
