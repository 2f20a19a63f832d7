// The 64-bit block ciphers of legacy PKCS#12 files (OpenSSL's `-legacy`, older Windows and
// Firefox exports): triple DES and RC2 (RFC 2268), both CBC with PKCS#5 padding. WebCrypto has
// neither, so they come from node-forge's pure-JS ciphers, which bundle for the crypto worker
// without any Node built-in. Sealmail only ever DEcrypts with these (import); it writes AES.
import { loadForge } from '../crypto/legacy-ciphers-library.js';
import { fromBinaryString, toBinaryString } from './binary-strings.js';

/** Removes PKCS#5 padding (RFC 8018 §6.1.1 step 4), or returns null when it is not valid. */
export function unpad(block: number, data: Uint8Array): Uint8Array | null {
  if (data.length === 0 || data.length % block !== 0) return null;
  const count = data[data.length - 1];
  if (count === 0 || count > block) return null;
  for (let i = data.length - count; i < data.length; i++) if (data[i] !== count) return null;
  return data.subarray(0, data.length - count);
}

/** 3DES-CBC (EDE, three keys; a 16-byte two-key key is K1 K2 K1). Null on bad padding. */
export async function decryptTripleDesCbc(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array | null> {
  const forge = await loadForge();
  const fullKey = key.length === 16 ? new Uint8Array([...key, ...key.subarray(0, 8)]) : key;
  const decipher = forge.cipher.createDecipher('3DES-CBC', toBinaryString(fullKey));
  decipher.start({ iv: toBinaryString(iv) });
  decipher.update(forge.util.createBuffer(toBinaryString(data)));
  // forge checks the padding strictly for CBC (RFC 5652 §6.3), so false means bad padding.
  if (!decipher.finish()) return null;
  return fromBinaryString(decipher.output.getBytes());
}

/** RC2-CBC with the given effective key bits (RFC 2268 §2). Null on bad padding. */
export async function decryptRc2Cbc(
  key: Uint8Array,
  effectiveBits: number,
  iv: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array | null> {
  const forge = await loadForge();
  const decipher = forge.rc2.createDecryptionCipher(toBinaryString(key), effectiveBits);
  decipher.start(toBinaryString(iv));
  decipher.update(forge.util.createBuffer(toBinaryString(data)));
  // forge's own RC2 unpadding does not check the pad bytes; keep them and check here.
  if (!decipher.finish(() => true)) return null;
  return unpad(8, fromBinaryString(decipher.output.getBytes()));
}
