// Turns the keys and certificates of a PKCS#12 file into a Sealmail key file's contents. A file
// Sealmail wrote names each key's role (key-file-contents.ts). A file from elsewhere does not,
// so the certificates decide (RFC 8550 §4.4.2 key usage): digitalSignature or nonRepudiation
// signs, keyEncipherment or keyAgreement decrypts, and no keyUsage extension allows both. The
// newest certificate (by notBefore) gets each role; older encryption keys stay as previous keys,
// so mail encrypted to them stays readable.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { oids } from '../asn1/oids.js';
import { SealmailError } from '../errors.js';
import {
  checkContents,
  rolesFromFriendlyName,
  type KeyFileContents,
  type KeyFileKey,
} from './key-file-contents.js';
import { pairKeys, type KeyWithCertificate } from './key-pairing.js';
import type { Pkcs12Bag } from './pkcs12-bags.js';

interface Capabilities {
  signs: boolean;
  decrypts: boolean;
  notBefore: number;
}

function capabilitiesOf(der: Uint8Array): Capabilities {
  const certificate = pkijs.Certificate.fromBER(der.slice().buffer);
  const notBefore = certificate.notBefore.value.getTime();
  const keyUsage = certificate.extensions?.find((e) => e.extnID === oids.keyUsage)?.parsedValue;
  if (!(keyUsage instanceof asn1js.BitString)) return { signs: true, decrypts: true, notBefore };
  const bits = keyUsage.valueBlock.valueHexView;
  const bit = (n: number) => ((bits[n >> 3] ?? 0) & (0x80 >> (n & 7))) !== 0;
  // RFC 5280 §4.2.1.3: 0 digitalSignature, 1 nonRepudiation, 2 keyEncipherment, 4 keyAgreement
  return { signs: bit(0) || bit(1), decrypts: bit(2) || bit(4), notBefore };
}

function inferRoles(pairs: KeyWithCertificate[]): KeyFileKey[] {
  const facts = pairs.map((pair) => ({ pair, ...capabilitiesOf(pair.certificate.certificate) }));
  const newestFirst = [...facts].sort((a, b) => b.notBefore - a.notBefore);
  const signer = newestFirst.find((f) => f.signs);
  const decrypters = newestFirst.filter((f) => f.decrypts);
  return facts.map((f) => ({
    privateKey: f.pair.key.privateKey,
    certificate: f.pair.certificate.certificate,
    signing: f === signer,
    encryption: f === decrypters[0] ? 'current' : decrypters.includes(f) ? 'previous' : null,
  }));
}

export async function contentsFromBags(bags: Pkcs12Bag[]): Promise<KeyFileContents> {
  const { pairs, unpaired, others } = await pairKeys(bags);
  if (unpaired.length > 0) {
    throw new SealmailError(
      'MALFORMED_KEYFILE',
      `The file has ${unpaired.length} private key(s) without a matching certificate. Export the key together with its certificate.`,
    );
  }
  if (pairs.length === 0) {
    throw new SealmailError(
      'MALFORMED_KEYFILE',
      'The file holds no private key with its certificate, so there is nothing to sign or decrypt with.',
    );
  }
  const named = pairs.flatMap((pair) => {
    const roles = rolesFromFriendlyName(pair.key.friendlyName);
    return roles
      ? [{ privateKey: pair.key.privateKey, certificate: pair.certificate.certificate, ...roles }]
      : [];
  });
  // Sealmail's own names only count when every key has one; otherwise the certificates decide.
  const keys = named.length === pairs.length ? named : inferRoles(pairs);
  const contents = { keys, caCertificates: others.map((c) => c.certificate) };
  checkContents(contents);
  return contents;
}

/**
 * Adds imported keys to an existing key file: an imported signing key replaces the old one (which
 * is kept, retired), and an imported current encryption key becomes current, the old one previous.
 */
export function mergeImported(existing: KeyFileContents, imported: KeyFileContents): KeyFileContents {
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);
  const known = (der: Uint8Array, list: Uint8Array[]) => list.some((c) => same(c, der));
  const existingCertificates = existing.keys.map((k) => k.certificate);
  const newKeys = imported.keys.filter((k) => !known(k.certificate, existingCertificates));
  const importsSigning = newKeys.some((k) => k.signing);
  const importsCurrent = newKeys.some((k) => k.encryption === 'current');
  const kept = existing.keys.map((k) => ({
    ...k,
    signing: k.signing && !importsSigning,
    encryption: k.encryption === 'current' && importsCurrent ? ('previous' as const) : k.encryption,
  }));
  const caCertificates = [...existing.caCertificates];
  for (const ca of imported.caCertificates) if (!known(ca, caCertificates)) caCertificates.push(ca);
  const merged = { keys: [...kept, ...newKeys], caCertificates };
  checkContents(merged);
  return merged;
}
