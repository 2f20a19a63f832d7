// A fresh signing key pair and its PKCS#10 request (RFC 2986). The private key is made here, on
// the user's machine, and never leaves it: only the request goes to the KM (issue 4, step 1-2).
// Encryption keys are different: the KM makes and archives those so recovery can return them.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { cryptoEngine, subtle } from '../crypto/engine.js';
import { SealmailError } from '../errors.js';

export type SigningKeyType = 'P-256' | 'P-384';

export interface SigningRequest {
  /** PKCS#8 PrivateKeyInfo, DER. */
  privateKey: Uint8Array;
  /** The SubjectPublicKeyInfo, DER: the issued certificate must carry exactly this. */
  publicKeyInfo: Uint8Array;
  /** The PKCS#10, DER. */
  csr: Uint8Array;
}

const hashFor: Record<SigningKeyType, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384' };

/** Generates a signing key (P-256 by default) and a request signed by it, naming `email`. */
export async function createSigningRequest(
  email: string,
  keyType: SigningKeyType = 'P-256',
): Promise<SigningRequest> {
  const pair = await subtle().generateKey({ name: 'ECDSA', namedCurve: keyType }, true, ['sign', 'verify']);
  const request = new pkijs.CertificationRequest();
  request.version = 0;
  // The KM takes the name and rfc822Name from the mailbox; CN = the address keeps the request
  // readable in `openssl req -text` and in the audit trail.
  request.subject.typesAndValues.push(
    new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: email }) }),
  );
  const engine = cryptoEngine();
  await request.subjectPublicKeyInfo.importKey(pair.publicKey, engine);
  await request.sign(pair.privateKey, hashFor[keyType], engine);
  return {
    privateKey: new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey)),
    publicKeyInfo: new Uint8Array(request.subjectPublicKeyInfo.toSchema().toBER(false)),
    csr: new Uint8Array(request.toSchema(true).toBER(false)),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Refuses an issued certificate that is not for the key we asked for. */
export function checkIssuedFor(certificateDer: Uint8Array, request: SigningRequest): void {
  let spki: Uint8Array;
  try {
    const certificate = pkijs.Certificate.fromBER(new Uint8Array(certificateDer).buffer);
    spki = new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER(false));
  } catch (error) {
    throw new SealmailError(
      'MALFORMED_CERTIFICATE',
      'The KM returned a signing certificate that cannot be read.',
      {
        cause: error,
      },
    );
  }
  if (!sameBytes(spki, request.publicKeyInfo)) {
    throw new SealmailError(
      'SERVER_ERROR',
      'The KM returned a signing certificate for a different key than the one requested; nothing was written.',
    );
  }
}
