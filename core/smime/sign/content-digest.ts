// The digest of content given as pieces that concatenate to it (RFC 5652 §5.4: messageDigest is
// over the content's octets, however they are held). WebCrypto has no incremental digest, so the
// default joins the pieces, and copies them once more, since WebCrypto copies its input. A
// caller with an incremental hash (the CLI has node:crypto's) passes it instead, and a 25 MB
// message is then digested where it lies (bench/smime.ts).
import { subtle } from '../../crypto/engine.js';
import { concatBytes } from '../../mime/message-bytes.js';
import type { SignatureHash } from './signing-identity.js';

/** What Sealmail signs with, and SHA-1, which old signatures it verifies still use. */
export type DigestName = SignatureHash | 'SHA-1';

export type ContentDigest = (hash: DigestName, pieces: readonly Uint8Array[]) => Promise<Uint8Array>;

export const webCryptoDigest: ContentDigest = async (hash, pieces) => {
  const content = pieces.length === 1 ? pieces[0]! : concatBytes(pieces);
  return new Uint8Array(await subtle().digest(hash, content as Uint8Array<ArrayBuffer>));
};
