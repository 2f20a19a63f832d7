// One conditional GET of a CRL from a distribution point (RFC 5280 §4.2.1.13 names HTTP URIs;
// RFC 9110 §13.1.1 and §13.1.3 define If-None-Match and If-Modified-Since). A CA's CRL changes
// once per publication interval, so most refreshes end in 304 Not Modified and cost no download.
import { SealmailError } from '../../../core/errors.js';

export interface CrlValidators {
  etag: string | null;
  lastModified: string | null;
}

export type CrlDownload = { changed: false } | { changed: true; der: Uint8Array; validators: CrlValidators };

/** Larger than any CRL seen in practice (the 1,000,000-entry benchmark CRL is 49 MB). */
const MAX_CRL_BYTES = 512 * 1024 * 1024;

export async function downloadCrl(
  url: string,
  known: CrlValidators,
  fetchImpl: typeof fetch = fetch,
): Promise<CrlDownload> {
  if (!/^https?:\/\//i.test(url)) {
    throw new SealmailError(
      'CRL_UNSUPPORTED',
      `Sealmail fetches CRLs over HTTP(S) only; the distribution point ${url} is not one.`,
    );
  }
  const headers: Record<string, string> = { accept: 'application/pkix-crl' };
  if (known.etag) headers['if-none-match'] = known.etag;
  if (known.lastModified) headers['if-modified-since'] = known.lastModified;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers, redirect: 'follow' });
  } catch (error) {
    throw new SealmailError(
      'CONNECTION_FAILED',
      `Cannot reach the CRL distribution point ${url}: ${(error as Error).message}. The last CRL fetched is used meanwhile.`,
      { cause: error },
    );
  }
  if (response.status === 304) return { changed: false };
  if (!response.ok) {
    throw new SealmailError(
      'SERVER_ERROR',
      `The CRL distribution point ${url} answered ${response.status}; the last CRL fetched is used meanwhile.`,
    );
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_CRL_BYTES) {
    throw new SealmailError(
      'MALFORMED_CRL',
      `The CRL at ${url} is ${length} bytes, more than Sealmail accepts.`,
    );
  }
  const der = new Uint8Array(await response.arrayBuffer());
  return {
    changed: true,
    der,
    validators: { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') },
  };
}
