// AES-CBC over a large content one piece at a time. WebCrypto copies its whole input before it
// starts, so one call on a 25 MB message holds a second 25 MB copy (bench/smime.ts); it has no
// streaming interface either. CBC chains through the previous ciphertext block (NIST SP 800-38A
// §6.2), so pieces that are a whole number of blocks can be done one by one with that block as
// their IV, and give exactly the bytes one call would.
import { subtle } from '../../crypto/engine.js';
import { webBytes } from './der.js';

/** 1 MiB: a whole number of AES blocks, and small beside the message. */
const PIECE_BYTES = 1 << 20;
const BLOCK = 16;
/** Decryption pieces do not depend on each other; a few in flight keep both cores busy. */
const PIECES_IN_FLIGHT = 4;

/**
 * Encrypts with PKCS#7 padding (RFC 5652 §6.3) and returns the ciphertext as pieces that
 * concatenate to it. WebCrypto pads every call: a piece of whole blocks gets one block of
 * padding, which is simply not kept, since the next piece carries on from the block before it.
 */
export async function encryptCbcPieces(
  key: CryptoKey,
  iv: Uint8Array,
  content: Uint8Array,
): Promise<Uint8Array[]> {
  const pieces: Uint8Array[] = [];
  let chain = iv;
  for (let at = 0; ; at += PIECE_BYTES) {
    const end = Math.min(at + PIECE_BYTES, content.byteLength);
    const last = end === content.byteLength;
    const sealed = new Uint8Array(
      await subtle().encrypt(
        { name: 'AES-CBC', iv: webBytes(chain) },
        key,
        webBytes(content.subarray(at, end)),
      ),
    );
    const piece = last ? sealed : sealed.subarray(0, end - at);
    pieces.push(piece);
    if (last) return pieces;
    chain = piece.subarray(piece.byteLength - BLOCK);
  }
}

/**
 * Decrypts and removes the padding; `key` needs both 'encrypt' and 'decrypt'. WebCrypto checks
 * the padding at the end of every call, so each piece but the last gets one more block appended
 * that decrypts to a full block of padding: E_K(0x10…10 ⊕ C_last), made by encrypting that
 * padding block under IV = C_last. Only the real last block's padding decides the outcome, as
 * with one call; any failure throws, and the caller says nothing about why (no padding oracle).
 */
export async function decryptCbcPieces(
  key: CryptoKey,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  if (ciphertext.byteLength === 0 || ciphertext.byteLength % BLOCK !== 0) {
    throw new Error('the ciphertext is not a whole number of blocks');
  }
  const out = new Uint8Array(ciphertext.byteLength);
  const starts: number[] = [];
  for (let at = 0; at < ciphertext.byteLength; at += PIECE_BYTES) starts.push(at);
  let lastLength = 0;
  const decryptPiece = async (at: number): Promise<void> => {
    const end = Math.min(at + PIECE_BYTES, ciphertext.byteLength);
    const chain = at === 0 ? iv : ciphertext.subarray(at - BLOCK, at);
    const piece = ciphertext.subarray(at, end);
    const last = end === ciphertext.byteLength;
    let input = piece;
    if (!last) {
      const finalBlock = piece.subarray(piece.byteLength - BLOCK);
      const padding = new Uint8Array(BLOCK).fill(BLOCK);
      const extra = new Uint8Array(
        await subtle().encrypt({ name: 'AES-CBC', iv: webBytes(finalBlock) }, key, padding),
      ).subarray(0, BLOCK);
      input = new Uint8Array(piece.byteLength + BLOCK);
      input.set(piece);
      input.set(extra, piece.byteLength);
    }
    const plain = new Uint8Array(
      await subtle().decrypt({ name: 'AES-CBC', iv: webBytes(chain) }, key, webBytes(input)),
    );
    if (!last && plain.byteLength !== piece.byteLength) throw new Error('a piece did not decrypt whole');
    out.set(plain, at);
    if (last) lastLength = plain.byteLength;
  };
  // A bounded number in flight: WebCrypto copies each input as the call is made.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < starts.length) await decryptPiece(starts[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PIECES_IN_FLIGHT, starts.length) }, worker));
  return out.subarray(0, starts[starts.length - 1]! + lastLength);
}
