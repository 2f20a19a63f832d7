// node:crypto's incremental hash for core/smime's ContentDigest seam: `seal` digests a content in
// pieces where it lies, in one pass, and `open` digests a 25 MB signed part without the copy that
// WebCrypto makes of its input first (bench/smime.ts).
import { createHash } from 'node:crypto';
import type { ContentDigest } from '../../../core/smime/sign/content-digest.js';

export const nodeDigest: ContentDigest = async (hash, pieces) => {
  const digest = createHash(hash.replace('-', '').toLowerCase());
  for (const piece of pieces) digest.update(piece);
  return new Uint8Array(digest.digest());
};
