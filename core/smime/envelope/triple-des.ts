// 3DES, for reading old mail only (issue 3: decrypt, never encrypt). WebCrypto has no DES, so
// this uses node-forge's pure-JS DES. Two uses: the content cipher des-ede3-cbc (RFC 3370 §5.1)
// and the 3DES key wrap that ECDH senders use with a 3DES content key (RFC 3217 §3).
import { subtle } from '../../crypto/engine.js';
import { loadForge } from '../../crypto/legacy-ciphers-library.js';
import { equalBytes } from './der.js';

/** 3DES-CBC decryption; `undefined` when the PKCS#7 padding is wrong (if `padded`). */
export async function tripleDesCbcDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  padded: boolean,
): Promise<Uint8Array | undefined> {
  if (data.byteLength === 0 || data.byteLength % 8 !== 0) return undefined;
  const forge = await loadForge();
  const toBinary = (bytes: Uint8Array) => forge.util.binary.raw.encode(bytes);
  const decipher = forge.cipher.createDecipher('3DES-CBC', toBinary(key));
  decipher.start({ iv: toBinary(iv) });
  decipher.update(forge.util.createBuffer(toBinary(data)));
  // forge's finish(pad) takes a padding callback (its typings omit it); one that accepts
  // anything turns PKCS#7 unpadding off, as the key wrap needs.
  const finish: (pad?: () => boolean) => boolean = decipher.finish.bind(decipher);
  const finished = padded ? finish() : finish(() => true);
  if (!finished) return undefined;
  return forge.util.binary.raw.decode(decipher.output.getBytes());
}

// RFC 3217 §3.2: the fixed IV of the second encryption pass.
const WRAP_IV = new Uint8Array([0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05]);

/** Triple-DES key unwrap (RFC 3217 §3.2); `undefined` when the checksum does not match. */
export async function tripleDesKeyUnwrap(
  kek: Uint8Array,
  wrapped: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (wrapped.byteLength !== 40) return undefined; // IV (8) + 3DES key (24) + checksum (8)
  const temp3 = await tripleDesCbcDecrypt(kek, WRAP_IV, wrapped, false);
  if (!temp3) return undefined;
  const temp2 = temp3.slice().reverse();
  const wkcks = await tripleDesCbcDecrypt(kek, temp2.subarray(0, 8), temp2.subarray(8), false);
  if (!wkcks) return undefined;
  const cek = wkcks.subarray(0, 24);
  // RFC 3217 §2: the CMS key checksum is the first 8 bytes of SHA-1(CEK).
  const checksum = new Uint8Array(await subtle().digest('SHA-1', cek.slice()));
  return equalBytes(checksum.subarray(0, 8), wkcks.subarray(24)) ? cek.slice() : undefined;
}
