// The KM's address and how far we trust it: `--km https://HOST:PORT` and the KM CA from
// `--km-ca` (or, later, from policy or confirmed on first use in the UI).
import { readFile } from 'node:fs/promises';
import { SealmailError } from '../../../core/errors.js';

export interface KmEndpoint {
  url: URL;
  /** host:port, for messages. */
  hostPort: string;
  /** PEM of the CA(s) that issued the KM's HTTPS certificate; null: the system's trust store. */
  caPem: string | null;
  /**
   * Where the user fixes the address or the CA, for error messages; without it they name the
   * CLI's --km and --km-ca (the app names Settings › Security instead).
   */
  advice?: { address: string; ca: string };
}

export function kmUrl(typed: string): URL {
  let url: URL;
  try {
    url = new URL(typed);
  } catch (error) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `--km "${typed}" is not a URL; pass it like https://km.example.org:8443.`,
      {
        cause: error,
      },
    );
  }
  if (url.protocol !== 'https:') {
    throw new SealmailError(
      'INVALID_REQUEST',
      `--km must be an https:// URL (enrollment carries keys), not ${url.protocol}//.`,
    );
  }
  return url;
}

export async function kmEndpoint(typed: string, caFile: string | undefined): Promise<KmEndpoint> {
  const url = kmUrl(typed);
  let caPem: string | null = null;
  if (caFile !== undefined) {
    try {
      caPem = await readFile(caFile, 'utf8');
    } catch (error) {
      throw new SealmailError(
        'INVALID_REQUEST',
        `Cannot read the KM CA file ${caFile}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new SealmailError(
        'INVALID_REQUEST',
        `${caFile} holds no PEM certificate; pass the KM's ca.pem to --km-ca.`,
      );
    }
  }
  return { url, hostPort: `${url.hostname}:${url.port || '443'}`, caPem };
}
