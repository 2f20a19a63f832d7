// The KM directory (issue 4): a mailbox's status and current encryption certificate, so the
// client can decide which recipients can get encrypted mail before sending. Rate-limited, since
// it tells who is enrolled.
import type { FastifyInstance } from 'fastify';
import { mailboxStatus } from '../mailbox/mailbox-status.js';
import { sendError } from './http-errors.js';
import type { KmServerContext } from './km-server-context.js';

export interface DirectoryEntry {
  email: string;
  status: string;
  /** base64 DER of the newest unrevoked, unexpired encryption certificate, or null. */
  encryptionCertificate: string | null;
}

export function registerDirectoryRoutes(app: FastifyInstance, km: KmServerContext): void {
  const limited = { config: { rateLimit: { max: km.requestsPerMinute, timeWindow: 60_000 } } };
  app.get<{ Params: { email: string } }>('/directory/:email', limited, async (request, reply) => {
    try {
      const status = await mailboxStatus(km.store.records, request.params.email);
      const now = km.now().toISOString();
      const current = (await km.store.records.certificatesOf(status.email)).find(
        (certificate) =>
          certificate.kind === 'encryption' && certificate.revokedAt === null && certificate.notAfter > now,
      );
      const entry: DirectoryEntry = {
        email: status.email,
        status: status.status,
        encryptionCertificate: current ? Buffer.from(current.der).toString('base64') : null,
      };
      return reply.header('Cache-Control', 'no-cache').send(entry);
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
