// Opens any PKCS#12 file (RFC 7292) with a password: Sealmail's own key file, OpenSSL 3's
// default output, and the legacy RC2/3DES files of `openssl pkcs12 -legacy` and older clients.
//
// What the user is told, in order:
//   - not PKCS#12 at all → MALFORMED_KEYFILE;
//   - the MAC fails and the password opens none of the encrypted parts → WRONG_PASSWORD;
//   - the MAC fails but the password does open an encrypted part → KEYFILE_TAMPERED (the
//     password is right, so the file changed after it was written);
//   - a PKCS#12 whose structure is broken → KEYFILE_TAMPERED as well, since its start says it
//     was one of ours or another client's before something changed it.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeSchema, parseBer } from '../asn1/parse-der.js';
import { SealmailError } from '../errors.js';
import { nestsProperly } from './ber-nesting.js';
import { octetsOf } from './der-fields.js';
import { maximumIterations } from './key-file-parameters.js';
import { describeProtection } from './protection-description.js';
import { decryptWithPassword } from './password-based-decryption.js';
import { PasswordKeys } from './password-keys.js';
import { bagsOf, keyFileLimits, openShroudedKey, parseSafeContents, type Pkcs12Bag } from './pkcs12-bags.js';
import { computeMac, macHashFor, sameBytes } from './pkcs12-mac.js';
import { pkcs12Oids } from './pkcs12-oids.js';

export interface Pkcs12Protection {
  /** e.g. "SHA-256 HMAC, 600000 iterations" */
  integrity: string;
  /** One line per distinct scheme, e.g. "PBES2: PBKDF2-HMAC-SHA-256, 600000 iterations, AES-256-CBC". */
  encryption: string[];
}

export interface Pkcs12Contents {
  bags: Pkcs12Bag[];
  protection: Pkcs12Protection;
}

const tampered = (detail: string) =>
  new SealmailError(
    'KEYFILE_TAMPERED',
    `The key file has been changed or damaged since it was written (${detail}). Restore it from a ` +
      'backup, or ask your administrator to recover your keys.',
  );

/** DER of the OID 1.2.840.113549.1.7.1 (id-data), the content type of every PFX's authSafe. */
const dataOid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

/**
 * Whether the bytes start like a PFX (RFC 7292 §4): SEQUENCE, a length, INTEGER 3, or, when one
 * of those bytes was changed, the id-data OID of the authSafe within the first bytes.
 */
function looksLikePfx(bytes: Uint8Array): boolean {
  const lengthBytes = bytes[1] === 0x80 || bytes[1] < 0x80 ? 1 : 1 + (bytes[1] & 0x7f);
  const at = 1 + lengthBytes;
  if (bytes[0] === 0x30 && bytes[at] === 0x02 && bytes[at + 1] === 0x01 && bytes[at + 2] === 0x03)
    return true;
  for (let i = 0; i + dataOid.length <= Math.min(bytes.length, 32); i++) {
    if (dataOid.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
}

function parsePfx(bytes: Uint8Array): pkijs.PFX {
  try {
    if (!nestsProperly(bytes))
      throw new SealmailError('MALFORMED_KEYFILE', 'The lengths inside the file do not add up.');
    const schema = parseBer(bytes, keyFileLimits, 'The key file', 'MALFORMED_KEYFILE');
    return decodeSchema((s) => new pkijs.PFX({ schema: s }), schema, 'The key file', 'MALFORMED_KEYFILE');
  } catch (error) {
    if (looksLikePfx(bytes)) throw tampered('its structure is broken');
    throw new SealmailError(
      'MALFORMED_KEYFILE',
      'This is not a key file: it is not a PKCS#12 (.p12/.pfx) file. Choose the key file Sealmail ' +
        'wrote, or a .p12 exported by another mail program.',
      { cause: error },
    );
  }
}

function encryptedDataOf(info: pkijs.ContentInfo): pkijs.EncryptedData {
  return decodeSchema(
    (s) => new pkijs.EncryptedData({ schema: s }),
    info.content,
    'An encrypted part',
    'MALFORMED_KEYFILE',
  );
}

async function openEncryptedData(data: pkijs.EncryptedData, keys: PasswordKeys): Promise<Uint8Array | null> {
  const content = data.encryptedContentInfo;
  if (!content.encryptedContent)
    throw new SealmailError('MALFORMED_KEYFILE', 'An encrypted part of the key file is empty.');
  const encrypted = new Uint8Array(content.getEncryptedContent());
  return decryptWithPassword(content.contentEncryptionAlgorithm, encrypted, keys);
}

/** A SafeContents of the AuthenticatedSafe, decrypted if need be; null if the password fails. */
async function openSafe(
  info: pkijs.ContentInfo,
  keys: PasswordKeys,
  schemes: pkijs.AlgorithmIdentifier[],
): Promise<{ contents: pkijs.SafeContents; encrypted: boolean } | null> {
  if (info.contentType === pkcs12Oids.data) {
    return { contents: parseSafeContents(octetsOf(info.content, 'key safe')), encrypted: false };
  }
  if (info.contentType === pkcs12Oids.encryptedData) {
    const data = encryptedDataOf(info);
    schemes.push(data.encryptedContentInfo.contentEncryptionAlgorithm);
    const plain = await openEncryptedData(data, keys);
    if (!plain) return null;
    try {
      return { contents: parseSafeContents(plain), encrypted: true };
    } catch {
      return null; // padding that happened to look right under a wrong password
    }
  }
  throw new SealmailError(
    'UNSUPPORTED_ALGORITHM',
    'A part of this PKCS#12 file is encrypted to a public key (EnvelopedData); Sealmail reads password-protected files only.',
  );
}

async function anyShroudedKeyOpens(opened: pkijs.SafeContents[], keys: PasswordKeys): Promise<boolean> {
  for (const contents of opened) {
    for (const bag of contents.safeBags) {
      const value: unknown = bag.bagValue;
      if (!(value instanceof pkijs.PKCS8ShroudedKeyBag)) continue;
      if ((await openShroudedKey(value, keys).catch(() => null)) !== null) return true;
    }
  }
  return false;
}

export async function readPkcs12(
  bytes: Uint8Array,
  password: string,
  what = 'key file',
): Promise<Pkcs12Contents> {
  const pfx = parsePfx(bytes);
  if (pfx.version !== 3) throw tampered(`it says PKCS#12 version ${pfx.version}, not 3`);
  if (pfx.authSafe.contentType === pkcs12Oids.signedData) {
    throw new SealmailError(
      'UNSUPPORTED_ALGORITHM',
      'This PKCS#12 file is protected with a public key rather than a password; Sealmail reads password-protected files only.',
    );
  }
  // Outside the MAC: a changed byte here cannot be caught by it, so check the shape by hand.
  if (pfx.authSafe.contentType !== pkcs12Oids.data) throw tampered('its content type is not data');
  if (!pfx.macData) {
    throw new SealmailError(
      'MALFORMED_KEYFILE',
      'This PKCS#12 file has no integrity check (MAC), so a change to it could not be noticed. Export it again with a password.',
    );
  }
  let authSafeBytes: Uint8Array;
  try {
    authSafeBytes = octetsOf(pfx.authSafe.content, 'authenticated safe');
  } catch {
    throw tampered('its contents are not an OCTET STRING');
  }
  let safes: pkijs.ContentInfo[];
  try {
    if (!nestsProperly(authSafeBytes))
      throw new SealmailError('MALFORMED_KEYFILE', 'The lengths inside the file do not add up.');
    const schema = parseBer(authSafeBytes, keyFileLimits, 'The key file', 'MALFORMED_KEYFILE');
    safes = decodeSchema(
      (s) => new pkijs.AuthenticatedSafe({ schema: s }),
      schema,
      'The key file',
      'MALFORMED_KEYFILE',
    ).safeContents;
  } catch {
    throw tampered('its contents are not readable');
  }

  const keys = new PasswordKeys(password);
  // Start the encrypted parts first: PBKDF2 runs off the JS thread (WebCrypto), while the MAC's
  // KDF below runs on it, so the two overlap and an unlock costs the slower one, not the sum.
  // Each outcome is kept as a value, so no rejection goes unhandled while the MAC runs.
  const safeSchemes: pkijs.AlgorithmIdentifier[] = [];
  const settled = safes.map((info) =>
    openSafe(info, keys, safeSchemes).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
  );

  // One turn of the event loop lets the PBKDF2 derivation reach WebCrypto's thread before the
  // synchronous MAC computation takes this one.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const mac = pfx.macData;
  const hash = macHashFor(mac.mac.digestAlgorithm.algorithmId);
  if (!hash) throw tampered('its integrity check names an unknown algorithm');
  const expected = new Uint8Array(mac.mac.digest.getValue());
  const salt = new Uint8Array(mac.macSalt.getValue());
  const macIterations = mac.iterations ?? 1; // RFC 7292 §4: DEFAULT 1
  if (macIterations < 1 || macIterations > maximumIterations)
    throw tampered('its integrity check has a broken iteration count');
  // The digest's parameters are absent or NULL for SHA-1 and SHA-2 (RFC 5754 §2); anything
  // else here was changed, and the MAC cannot tell, because MacData is outside what it covers.
  const macParameters: unknown = mac.mac.digestAlgorithm.algorithmParams;
  if (macParameters !== undefined && !(macParameters instanceof asn1js.Null)) {
    throw tampered('its integrity check has unexpected parameters');
  }
  const macMatches = sameBytes(await computeMac(hash, keys, salt, macIterations, authSafeBytes), expected);

  const opened: pkijs.SafeContents[] = [];
  let passwordOpenedAPart = false;
  for (const result of await Promise.all(settled)) {
    if ('error' in result) {
      if (macMatches) throw result.error;
    } else if (result.value === null) {
      if (macMatches) {
        throw new SealmailError(
          'MALFORMED_KEYFILE',
          'The key file passes its integrity check, but a part of it does not decrypt with the same password.',
        );
      }
    } else {
      opened.push(result.value.contents);
      passwordOpenedAPart ||= result.value.encrypted;
    }
  }
  if (!macMatches) {
    // A wrong password, or a changed file? If the password opens any encrypted part, it is the
    // right one, so the file changed after it was written.
    passwordOpenedAPart ||= await anyShroudedKeyOpens(opened, keys);
    if (passwordOpenedAPart) throw tampered('its integrity check fails although the password is right');
    throw new SealmailError(
      'WRONG_PASSWORD',
      `The password is wrong: it does not open this ${what}. Check the password (it is case-sensitive) and try again.`,
    );
  }

  const bags: Pkcs12Bag[] = [];
  for (const contents of opened) bags.push(...(await bagsOf(contents, keys)));
  return {
    bags,
    protection: describeProtection({ hash, iterations: macIterations }, safeSchemes, opened),
  };
}
