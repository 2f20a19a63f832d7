// The password integrity mode of PKCS#12 (RFC 7292 §4, §5.1 and appendix B): HMAC over the
// AuthenticatedSafe bytes with a key from the appendix B.2 KDF (ID 3). It is what detects a
// changed key file, and, when it fails, the reader decides between "wrong password" and
// "tampered" by whether the password opens the encrypted parts (read-pkcs12.ts).
import * as asn1js from 'asn1js';
import { subtle } from '../crypto/engine.js';
import { SealmailError } from '../errors.js';
import type { PasswordKeys } from './password-keys.js';
import { kdfPurpose, pkcs12HashShapes, type Pkcs12Hash } from './pkcs12-kdf.js';
import { pkcs12Oids } from './pkcs12-oids.js';

const macHashes: Record<string, Pkcs12Hash> = {
  [pkcs12Oids.sha1]: 'SHA-1',
  [pkcs12Oids.sha256]: 'SHA-256',
  [pkcs12Oids.sha384]: 'SHA-384',
  [pkcs12Oids.sha512]: 'SHA-512',
};

/** Digests other programs may use for the MAC (OpenSSL's -macalg) that Sealmail does not. */
const knownUnsupported = new Set([
  '1.2.840.113549.2.5', // MD5
  '2.16.840.1.101.3.4.2.4', // SHA-224
]);

/**
 * The MAC's hash; null for an identifier no standard gives a digest (a changed byte, since the
 * MacData is not covered by the MAC itself).
 */
export function macHashFor(oid: string): Pkcs12Hash | null {
  const hash = macHashes[oid];
  if (hash) return hash;
  if (knownUnsupported.has(oid)) {
    throw new SealmailError(
      'UNSUPPORTED_ALGORITHM',
      `The file's integrity check uses ${oid}; Sealmail reads SHA-1 and SHA-2 (OpenSSL's default is SHA-256). ` +
        'Export it again with `-macalg sha256`.',
    );
  }
  return null;
}

export async function computeMac(
  hash: Pkcs12Hash,
  keys: PasswordKeys,
  salt: Uint8Array,
  iterations: number,
  data: Uint8Array,
): Promise<Uint8Array> {
  const { outputBytes } = pkcs12HashShapes[hash];
  const macKey = await keys.pkcs12(hash, kdfPurpose.macKey, salt, iterations, outputBytes);
  const key = await subtle().importKey('raw', macKey.slice(), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', key, data.slice()));
}

/** Compares without an early exit, so timing does not say how many bytes matched. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

/** MacData (RFC 7292 §4) with SHA-256, as Sealmail writes it. */
export async function macDataFor(
  keys: PasswordKeys,
  data: Uint8Array,
  iterations: number,
  saltBytes: number,
): Promise<asn1js.Sequence> {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(saltBytes));
  const mac = await computeMac('SHA-256', keys, salt, iterations, data);
  return new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [new asn1js.ObjectIdentifier({ value: pkcs12Oids.sha256 }), new asn1js.Null()],
          }),
          new asn1js.OctetString({ valueHex: mac.slice().buffer }),
        ],
      }),
      new asn1js.OctetString({ valueHex: salt.slice().buffer }),
      new asn1js.Integer({ value: iterations }),
    ],
  });
}
