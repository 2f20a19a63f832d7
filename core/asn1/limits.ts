// asn1js parser limits, set on purpose. Its defaults (10,000 nodes, 16 MiB of content) reject a
// 10 MB pkijs message, and issue 3 requires 25 MB messages both ways (seed 001's policy limit).
// The limits stay finite so that a hostile message cannot exhaust memory: a CMS structure for a
// message of `maxMessageBytes` needs one node per certificate field and per BER chunk of
// indefinite-length content (OpenSSL streams 1,000-byte chunks: 25 MB → ~26,000 nodes).

/** Largest message Sealmail handles unless policy says otherwise (seed 001: 25 MB). */
export const defaultMessageSizeLimit = 25 * 1024 * 1024;

export interface Asn1Limits {
  maxDepth: number;
  maxNodes: number;
  maxContentLength: number;
}

/** Limits for a CMS object carrying a message of up to `messageBytes` bytes. */
export function cmsLimits(messageBytes: number = defaultMessageSizeLimit): Asn1Limits {
  // base64 is decoded before parsing, so content is at most the message size; the margin covers
  // certificates and attributes. One node per 256 bytes is far above any real chunking.
  return {
    maxDepth: 64,
    maxNodes: 20_000 + Math.ceil(messageBytes / 256),
    maxContentLength: messageBytes + 4 * 1024 * 1024,
  };
}

/** Limits for a single certificate: small, because no certificate needs more. */
export const certificateLimits: Asn1Limits = {
  maxDepth: 32,
  maxNodes: 5_000,
  maxContentLength: 1024 * 1024,
};
