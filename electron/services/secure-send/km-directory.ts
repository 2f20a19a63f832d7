// The KM directory lookup (issue 4): GET /directory/:email over the same trusted HTTPS as
// enrollment (est-https-client.ts), answering the recipient's current encryption certificate.
import { SealmailError } from '../../../core/errors.js';
import { getFromKm } from '../enrollment/est-https-client.js';
import type { KmEndpoint } from '../enrollment/km-address.js';

export interface DirectoryAnswer {
  status: string;
  /** DER of the current encryption certificate, or null when the mailbox has none. */
  certificate: Uint8Array | null;
}

export async function lookUpInKmDirectory(km: KmEndpoint, email: string): Promise<DirectoryAnswer> {
  const body = await getFromKm(
    km,
    `/directory/${encodeURIComponent(email)}`,
    `the directory lookup of ${email}`,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new SealmailError(
      'SERVER_ERROR',
      `The KM at ${km.hostPort} answered the directory lookup of ${email} with something that is not JSON.`,
      { cause: error },
    );
  }
  const entry = parsed as { status?: unknown; encryptionCertificate?: unknown };
  const certificate = entry.encryptionCertificate;
  return {
    status: typeof entry.status === 'string' ? entry.status : 'Undefined',
    certificate:
      typeof certificate === 'string' && certificate.length > 0
        ? new Uint8Array(Buffer.from(certificate, 'base64'))
        : null,
  };
}
