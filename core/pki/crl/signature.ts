// Verifies the CA's signature over the exact TBSCertList bytes with WebCrypto (RFC 5280 §5.1.1.3).
// Supported: RSA PKCS#1 v1.5 and RSA-PSS with SHA-256/384/512 (RFC 4055), ECDSA P-256/P-384/P-521
// with SHA-256/384/512 (RFC 5758). SHA-1 and MD5 are refused: a forger could collide them.
import { subtle } from '../../crypto/engine.js';
import { SealmailError } from '../../errors.js';
import { bytesEqual, DerCursor, malformed, oidText, smallInteger, TAG } from './der-reader.js';
import type { CertificateFacts } from './certificate-facts.js';

type Hash = 'SHA-256' | 'SHA-384' | 'SHA-512';

export type SignatureScheme =
  | { kind: 'RSASSA-PKCS1-v1_5'; hash: Hash }
  | { kind: 'RSA-PSS'; hash: Hash; saltLength: number }
  | { kind: 'ECDSA'; hash: Hash };

const pkcs1: Record<string, Hash> = {
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const ecdsa: Record<string, Hash> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const hashes: Record<string, Hash> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const curves: Record<string, { name: string; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

function unsupported(what: string): SealmailError {
  return new SealmailError(
    'CRL_UNSUPPORTED',
    `The CRL is signed with ${what}, which Sealmail does not accept; ask the CA for SHA-256 or stronger with RSA or ECDSA.`,
  );
}

/** Reads an AlgorithmIdentifier's content (the cursor is inside the SEQUENCE). */
export function readSignatureScheme(alg: DerCursor): SignatureScheme {
  alg.expect(TAG.OID, 'signature algorithm');
  const oid = oidText(alg.content());
  if (pkcs1[oid]) {
    if (!alg.done) alg.expect(TAG.NULL, 'NULL parameters');
    return { kind: 'RSASSA-PKCS1-v1_5', hash: pkcs1[oid] };
  }
  if (ecdsa[oid]) return { kind: 'ECDSA', hash: ecdsa[oid] };
  if (oid === RSA_PSS) return readPssParameters(alg);
  throw unsupported(`the algorithm ${oid}`);
}

/** RSASSA-PSS-params (RFC 4055 §3.1); WebCrypto fixes MGF1 to the message hash and trailer 1. */
function readPssParameters(alg: DerCursor): SignatureScheme {
  alg.expect(TAG.SEQUENCE, 'RSASSA-PSS-params');
  const params = alg.inside();
  let hash: Hash | undefined;
  let mgfHash: Hash | undefined;
  let saltLength = 20;
  if (params.optional(0xa0)) hash = hashOf(params.inside());
  if (params.optional(0xa1)) {
    const mgf = params.inside();
    mgf.expect(TAG.SEQUENCE, 'maskGenAlgorithm');
    const mgfAlg = mgf.inside();
    mgfAlg.expect(TAG.OID, 'MGF');
    if (oidText(mgfAlg.content()) !== MGF1) throw unsupported('RSA-PSS with a mask function other than MGF1');
    mgfAlg.expect(TAG.SEQUENCE, 'MGF1 hash');
    mgfHash = hashOf(mgfAlg, true);
  }
  if (params.optional(0xa2)) {
    const salt = params.inside();
    salt.expect(TAG.INTEGER, 'saltLength');
    saltLength = smallInteger(salt, 'saltLength');
  }
  if (params.optional(0xa3)) {
    const trailer = params.inside();
    trailer.expect(TAG.INTEGER, 'trailerField');
    if (smallInteger(trailer, 'trailerField') !== 1) throw unsupported('RSA-PSS with an unusual trailer');
  }
  // Absent hash means SHA-1 (RFC 4055 §3.1), which is refused like every SHA-1 signature.
  if (!hash) throw unsupported('RSA-PSS with SHA-1');
  if (mgfHash && mgfHash !== hash) throw unsupported('RSA-PSS with MGF1 over a different hash');
  if (!mgfHash) throw unsupported('RSA-PSS with MGF1-SHA-1');
  return { kind: 'RSA-PSS', hash, saltLength };
}

function hashOf(cursor: DerCursor, alreadyRead = false): Hash {
  if (!alreadyRead) cursor.expect(TAG.SEQUENCE, 'hash AlgorithmIdentifier');
  const h = cursor.inside();
  h.expect(TAG.OID, 'hash algorithm');
  const hash = hashes[oidText(h.content())];
  if (!hash) throw unsupported(`the hash ${oidText(h.content())}`);
  return hash;
}

/**
 * WebCrypto wants ECDSA signatures as r||s, each left-padded to the field size; X.509 carries
 * them as DER SEQUENCE { r INTEGER, s INTEGER } (RFC 5758 §3.2).
 */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | null {
  try {
    const top = new DerCursor(der);
    top.expect(TAG.SEQUENCE, 'ECDSA-Sig-Value');
    top.finish('ECDSA-Sig-Value');
    const seq = top.inside();
    const out = new Uint8Array(size * 2);
    for (let i = 0; i < 2; i++) {
      seq.expect(TAG.INTEGER, 'r or s');
      let v = seq.content();
      if (v.length === 0 || v[0]! & 0x80) return null;
      while (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return null;
      out.set(v, i * size + size - v.length);
    }
    seq.finish('ECDSA-Sig-Value');
    return out;
  } catch {
    return null;
  }
}

/** Imports the issuer's key for the scheme; a mismatch between key and scheme is a bad signature. */
async function importIssuerKey(
  scheme: SignatureScheme,
  issuer: CertificateFacts,
): Promise<{ key: CryptoKey; size: number }> {
  const keyAlg = oidText(issuer.keyAlgorithm);
  const spki = new Uint8Array(issuer.spki);
  if (scheme.kind === 'ECDSA') {
    const curve = issuer.keyParameters ? curves[oidText(issuer.keyParameters)] : undefined;
    if (keyAlg !== EC_PUBLIC_KEY) throw mismatch('an ECDSA signature', 'a non-EC key');
    if (!curve) throw unsupported('an elliptic curve other than P-256, P-384 or P-521');
    const key = await subtle().importKey('spki', spki, { name: 'ECDSA', namedCurve: curve.name }, false, [
      'verify',
    ]);
    return { key, size: curve.size };
  }
  if (keyAlg !== RSA_ENCRYPTION && keyAlg !== RSA_PSS) throw mismatch('an RSA signature', 'a non-RSA key');
  const key = await subtle().importKey('spki', spki, { name: scheme.kind, hash: scheme.hash }, false, [
    'verify',
  ]);
  return { key, size: 0 };
}

function mismatch(signature: string, key: string): SealmailError {
  return new SealmailError(
    'CRL_SIGNATURE_INVALID',
    `The CRL carries ${signature} but the issuer certificate has ${key}; it was not signed by this CA.`,
  );
}

/** Resolves when the signature is valid; throws CRL_SIGNATURE_INVALID otherwise. */
export async function verifyCrlSignature(
  scheme: SignatureScheme,
  issuer: CertificateFacts,
  tbs: Uint8Array,
  signatureBits: Uint8Array,
): Promise<void> {
  // BIT STRING content: one octet of unused bits, which must be 0 for a signature.
  if (signatureBits.length < 2 || signatureBits[0] !== 0) throw malformed('signatureValue has unused bits');
  let signature = signatureBits.subarray(1);
  let key: CryptoKey;
  try {
    const imported = await importIssuerKey(scheme, issuer);
    key = imported.key;
    if (scheme.kind === 'ECDSA') {
      const raw = ecdsaDerToRaw(signature, imported.size);
      if (!raw) throw badSignature();
      signature = raw;
    }
  } catch (error) {
    if (error instanceof SealmailError) throw error;
    throw new SealmailError('MALFORMED_CERTIFICATE', "The issuer certificate's public key cannot be used.", {
      cause: error,
    });
  }
  const algorithm =
    scheme.kind === 'RSA-PSS'
      ? { name: 'RSA-PSS', saltLength: scheme.saltLength }
      : scheme.kind === 'ECDSA'
        ? { name: 'ECDSA', hash: scheme.hash }
        : { name: 'RSASSA-PKCS1-v1_5' };
  const ok = await subtle().verify(algorithm, key, onArrayBuffer(signature), onArrayBuffer(tbs));
  if (!ok) throw badSignature();
}

function isOnArrayBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer;
}

/** WebCrypto takes no view of a SharedArrayBuffer; the CRL bytes are copied only in that case. */
function onArrayBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return isOnArrayBuffer(bytes) ? bytes : new Uint8Array(bytes);
}

function badSignature(): SealmailError {
  return new SealmailError(
    'CRL_SIGNATURE_INVALID',
    'The CRL signature does not verify with the issuer certificate: the CRL was altered or comes from another CA. Do not trust it; fetch it again.',
  );
}

export { bytesEqual };
