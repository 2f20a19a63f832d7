// A readable account of how a PKCS#12 file is protected, for `sealmail keyfile info`: so that a
// user (or an auditor) can see a Sealmail key file uses PBKDF2-HMAC-SHA256 with 600,000
// iterations and AES-256-CBC, and that an imported legacy file used 40-bit RC2.
import * as pkijs from 'pkijs';
import { sequenceItems, smallIntegerOf } from './der-fields.js';
import type { Pkcs12Hash } from './pkcs12-kdf.js';
import { readParameters } from './pbes2.js';
import { pkcs12Oids } from './pkcs12-oids.js';

const legacyNames: Record<string, string> = {
  [pkcs12Oids.pbeWithShaAnd3KeyTripleDesCbc]: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
  [pkcs12Oids.pbeWithShaAnd2KeyTripleDesCbc]: 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  [pkcs12Oids.pbeWithShaAnd128BitRc2Cbc]: 'pbeWithSHAAnd128BitRC2-CBC',
  [pkcs12Oids.pbeWithShaAnd40BitRc2Cbc]: 'pbeWithSHAAnd40BitRC2-CBC',
};

export function describeAlgorithm(algorithm: pkijs.AlgorithmIdentifier): string {
  try {
    if (algorithm.algorithmId === pkcs12Oids.pbes2) {
      const p = readParameters(algorithm.algorithmParams);
      return `PBES2: PBKDF2-HMAC-${p.hash}, ${p.iterations} iterations, ${p.cipher.label}`;
    }
    const legacy = legacyNames[algorithm.algorithmId];
    if (legacy) {
      const iterations = smallIntegerOf(sequenceItems(algorithm.algorithmParams, 'PBE')[1], 'PBE');
      return `${legacy}, ${iterations} iterations`;
    }
  } catch {
    // fall through to the bare identifier
  }
  return algorithm.algorithmId;
}

export function describeProtection(
  mac: { hash: Pkcs12Hash; iterations: number },
  safeSchemes: pkijs.AlgorithmIdentifier[],
  opened: pkijs.SafeContents[],
): { integrity: string; encryption: string[] } {
  const schemes = new Set<string>();
  for (const scheme of safeSchemes) schemes.add(`certificates: ${describeAlgorithm(scheme)}`);
  for (const contents of opened) {
    for (const bag of contents.safeBags) {
      const value: unknown = bag.bagValue;
      if (value instanceof pkijs.PKCS8ShroudedKeyBag)
        schemes.add(`keys: ${describeAlgorithm(value.encryptionAlgorithm)}`);
    }
  }
  return {
    integrity: `${mac.hash} HMAC, ${mac.iterations} iterations`,
    encryption: [...schemes],
  };
}
