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
  for await (const piece of encryptCbcStream(key, iv, [content])) pieces.push(piece);
  return pieces;
}

/**
 * encryptCbcPieces for content given as pieces that concatenate to it, one ciphertext piece at
 * a time as the caller asks for it, so that `seal` can write each out before making the next
 * and never holds the whole ciphertext (bench/smime.ts). The content is re-cut into pieces of
 * PIECE_BYTES; only a piece that spans two given ones is copied together.
 */
export async function* encryptCbcStream(
  key: CryptoKey,
  iv: Uint8Array,
  content: readonly Uint8Array[],
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for (const part of content) total += part.byteLength;
  const encryptFrom = async (at: number, chain: Uint8Array) => {
    const end = Math.min(at + PIECE_BYTES, total);
    const last = end === total;
    const sealed = new Uint8Array(
      await subtle().encrypt(
        { name: 'AES-CBC', iv: webBytes(chain) },
        key,
        webBytes(sliceOfPieces(content, at, end)),
      ),
    );
    return { piece: last ? sealed : sealed.subarray(0, end - at), last, next: end };
  };
  // One piece ahead: the next piece is encrypted (off the JavaScript thread) while the caller
  // encodes and writes this one. CBC chains, so no further ahead than that.
  const start = (at: number, chain: Uint8Array) => {
    const promise = encryptFrom(at, chain);
    // A caller that stops reading never awaits the piece ahead; its failure is then nobody's.
    promise.catch(() => undefined);
    return promise;
  };
  let ahead = start(0, iv);
  for (;;) {
    const { piece, last, next } = await ahead;
    if (!last) ahead = start(next, piece.slice(piece.byteLength - BLOCK));
    yield piece;
    if (last) return;
  }
}

/** Bytes [from, to) of the concatenation of `pieces`: a view when one piece holds them all. */
function sliceOfPieces(pieces: readonly Uint8Array[], from: number, to: number): Uint8Array {
  let start = 0;
  let out: Uint8Array | null = null;
  for (const piece of pieces) {
    const end = start + piece.byteLength;
    if (end > from && start < to) {
      const view = piece.subarray(Math.max(from - start, 0), Math.min(to - start, piece.byteLength));
      if (!out && view.byteLength === to - from) return view;
      out ??= new Uint8Array(to - from);
      out.set(view, Math.max(start - from, 0));
    }
    if (end >= to) break;
    start = end;
  }
  return out ?? new Uint8Array(0);
}

/**
 * Decrypts and removes the padding; `key` needs both 'encrypt' and 'decrypt'. WebCrypto checks
 * the padding at the end of every call, so each piece but the last gets one more block appended
 * that decrypts to a full block of padding: E_K(0x10…10 ⊕ C_last), made by encrypting that
 * padding block under IV = C_last. Only the real last block's padding decides the outcome, as
 * with one call; any failure throws, and the caller says nothing about why (no padding oracle).
 *
 * `inPlace`: the plaintext is written over the ciphertext, each piece over its own bytes once it
 * is decrypted (WebCrypto copies its input when called), and every piece's chaining block is
 * copied before any is overwritten. A failure then leaves the ciphertext partly overwritten.
 */
export async function decryptCbcPieces(
  key: CryptoKey,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  inPlace = false,
): Promise<Uint8Array> {
  if (ciphertext.byteLength === 0 || ciphertext.byteLength % BLOCK !== 0) {
    throw new Error('the ciphertext is not a whole number of blocks');
  }
  const out = inPlace ? ciphertext : new Uint8Array(ciphertext.byteLength);
  const starts: number[] = [];
  for (let at = 0; at < ciphertext.byteLength; at += PIECE_BYTES) starts.push(at);
  const chains = starts.map((at) => (at === 0 ? iv : ciphertext.slice(at - BLOCK, at)));
  let lastLength = 0;
  const decryptPiece = async (index: number): Promise<void> => {
    const at = starts[index]!;
    const end = Math.min(at + PIECE_BYTES, ciphertext.byteLength);
    const chain = chains[index]!;
    const piece = ciphertext.subarray(at, end);
    const last = end === ciphertext.byteLength;
    let decrypting: Promise<ArrayBuffer>;
    if (last) {
      decrypting = subtle().decrypt({ name: 'AES-CBC', iv: webBytes(chain) }, key, webBytes(piece));
    } else {
      const finalBlock = piece.subarray(piece.byteLength - BLOCK);
      const padding = new Uint8Array(BLOCK).fill(BLOCK);
      const extra = new Uint8Array(
        await subtle().encrypt({ name: 'AES-CBC', iv: webBytes(finalBlock) }, key, padding),
      ).subarray(0, BLOCK);
      if (inPlace) {
        // No copy of the piece to append the block to: the block is put in the bytes after the
        // piece for the moment of the call (the Web Cryptography API's decrypt() copies its data
        // before it returns), and those bytes are put back before anything else runs.
        const after = ciphertext.subarray(end, end + BLOCK);
        const kept = after.slice();
        after.set(extra);
        decrypting = subtle().decrypt(
          { name: 'AES-CBC', iv: webBytes(chain) },
          key,
          webBytes(ciphertext.subarray(at, end + BLOCK)),
        );
        after.set(kept);
      } else {
        const input = new Uint8Array(piece.byteLength + BLOCK);
        input.set(piece);
        input.set(extra, piece.byteLength);
        decrypting = subtle().decrypt({ name: 'AES-CBC', iv: webBytes(chain) }, key, input);
      }
    }
    const plain = new Uint8Array(await decrypting);
    if (!last && plain.byteLength !== piece.byteLength) throw new Error('a piece did not decrypt whole');
    out.set(plain, at);
    if (last) lastLength = plain.byteLength;
  };
  // A bounded number in flight: WebCrypto copies each input as the call is made.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < starts.length) await decryptPiece(next++);
  };
  await Promise.all(Array.from({ length: Math.min(PIECES_IN_FLIGHT, starts.length) }, worker));
  return out.subarray(0, starts[starts.length - 1]! + lastLength);
}
