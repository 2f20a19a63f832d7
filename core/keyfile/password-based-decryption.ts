// One entry point for every password-based scheme a PKCS#12 file may use for a shrouded key
// (RFC 7292 §4.2.2) or an EncryptedData safe (§4.1): PBES2, or the legacy appendix C schemes.
import type * as pkijs from 'pkijs';
import { SealmailError } from '../errors.js';
import { legacySchemes, decryptLegacyPbe } from './legacy-pbe.js';
import type { PasswordKeys } from './password-keys.js';
import { decryptPbes2 } from './pbes2.js';
import { pkcs12Oids } from './pkcs12-oids.js';

/** Plaintext, or null when the password does not fit (bad padding). */
export async function decryptWithPassword(
  algorithm: pkijs.AlgorithmIdentifier,
  data: Uint8Array,
  keys: PasswordKeys,
): Promise<Uint8Array | null> {
  const id = algorithm.algorithmId;
  if (id === pkcs12Oids.pbes2) return decryptPbes2(algorithm.algorithmParams, data, keys);
  const legacy = legacySchemes[id];
  if (legacy) return decryptLegacyPbe(legacy, algorithm.algorithmParams, data, keys);
  throw new SealmailError(
    'UNSUPPORTED_ALGORITHM',
    `The key file is encrypted with ${id}, which Sealmail does not read. Export it again with ` +
      'AES-256 (the default of OpenSSL 3) or 3DES.',
  );
}
