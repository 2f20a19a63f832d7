// Pairs each private key of a PKCS#12 file with its certificate. localKeyId (RFC 2985 §5.5.2)
// is the usual link; files without it (some Java and Windows exports) are paired by comparing
// the public key inside the private key with the certificate's.
import * as pkijs from 'pkijs';
import { subtle } from '../crypto/engine.js';
import { oids } from '../asn1/oids.js';
import { sameBytes } from './pkcs12-mac.js';
import type { Pkcs12Bag } from './pkcs12-bags.js';

type KeyBag = Extract<Pkcs12Bag, { kind: 'key' }>;
type CertificateBag = Extract<Pkcs12Bag, { kind: 'certificate' }>;

const curves: Record<string, string> = {
  [oids.secp256r1]: 'P-256',
  [oids.secp384r1]: 'P-384',
  '1.3.132.0.35': 'P-521',
};

/** WebCrypto's import parameters for a key algorithm (only to read the public key back). */
function importAlgorithm(
  algorithm: pkijs.AlgorithmIdentifier,
): RsaHashedImportParams | EcKeyImportParams | null {
  if (algorithm.algorithmId === oids.rsaEncryption) return { name: 'RSA-PSS', hash: 'SHA-256' };
  if (algorithm.algorithmId === oids.ecPublicKey) {
    const params: unknown = algorithm.algorithmParams;
    const curveOid =
      params && typeof params === 'object' && 'valueBlock' in params ? String(params.valueBlock) : '';
    const namedCurve = curves[curveOid];
    return namedCurve ? { name: 'ECDSA', namedCurve } : null;
  }
  return null;
}

function publicPart(jwk: JsonWebKey): string | null {
  if (jwk.kty === 'RSA' && jwk.n) return `RSA:${jwk.n}`;
  if (jwk.kty === 'EC' && jwk.x && jwk.y) return `EC:${jwk.crv}:${jwk.x}:${jwk.y}`;
  return null;
}

async function privateKeysPublicPart(pkcs8: Uint8Array): Promise<string | null> {
  try {
    const info = pkijs.PrivateKeyInfo.fromBER(pkcs8.slice().buffer);
    const algorithm = importAlgorithm(info.privateKeyAlgorithm);
    if (!algorithm) return null;
    const usage: KeyUsage[] = ['sign'];
    const key = await subtle().importKey('pkcs8', pkcs8.slice(), algorithm, true, usage);
    return publicPart(await subtle().exportKey('jwk', key));
  } catch {
    return null;
  }
}

async function certificatesPublicPart(der: Uint8Array): Promise<string | null> {
  try {
    const spki = pkijs.Certificate.fromBER(der.slice().buffer).subjectPublicKeyInfo;
    const algorithm = importAlgorithm(spki.algorithm);
    if (!algorithm) return null;
    const key = await subtle().importKey('spki', spki.toSchema().toBER(false), algorithm, true, ['verify']);
    return publicPart(await subtle().exportKey('jwk', key));
  } catch {
    return null;
  }
}

export interface KeyWithCertificate {
  key: KeyBag;
  certificate: CertificateBag;
}

/** Pairs keys with certificates; certificates left over are returned as `others`. */
export async function pairKeys(
  bags: Pkcs12Bag[],
): Promise<{ pairs: KeyWithCertificate[]; unpaired: KeyBag[]; others: CertificateBag[] }> {
  const keys = bags.filter((bag): bag is KeyBag => bag.kind === 'key');
  const others = bags.filter((bag): bag is CertificateBag => bag.kind === 'certificate');
  const pairs: KeyWithCertificate[] = [];
  const unpaired: KeyBag[] = [];
  const take = (certificate: CertificateBag) => others.splice(others.indexOf(certificate), 1)[0];
  for (const key of keys) {
    const id = key.localKeyId;
    const byId = id && others.find((c) => c.localKeyId && sameBytes(c.localKeyId, id));
    if (byId) {
      pairs.push({ key, certificate: take(byId) });
      continue;
    }
    const publicKey = await privateKeysPublicPart(key.privateKey);
    let match: CertificateBag | undefined;
    for (const certificate of others) {
      if (publicKey !== null && (await certificatesPublicPart(certificate.certificate)) === publicKey) {
        match = certificate;
        break;
      }
    }
    if (match) pairs.push({ key, certificate: take(match) });
    else unpaired.push(key);
  }
  return { pairs, unpaired, others };
}
