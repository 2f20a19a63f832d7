// The CRL at its distribution point (issue 4; RFC 5280 §4.2.1.13), with ETag and Last-Modified
// so clients revalidate cheaply (RFC 9110 §8.8, §13). A CRL past half of its validity is
// reissued on request with the node key, so a KM that keeps serving never lets it go stale.
import type { FastifyInstance } from 'fastify';
import { unlockAsNode } from '../authority/unlocked-km.js';
import { publishCrl } from '../mailbox/publish-crl.js';
import type { CrlRecord } from '../storage/records.js';
import { sendError } from './http-errors.js';
import type { KmServerContext } from './km-server-context.js';

function stale(crl: CrlRecord | undefined, now: Date): boolean {
  if (!crl) return true;
  const from = Date.parse(crl.thisUpdate);
  return now.getTime() > from + (Date.parse(crl.nextUpdate) - from) / 2;
}

async function currentCrl(km: KmServerContext): Promise<CrlRecord> {
  const latest = await km.store.records.latestCrl();
  if (latest && !stale(latest, km.now())) return latest;
  return km.store.transaction(async (records) => {
    // Checked again inside the transaction, once no other node is issuing one: another request
    // or node may have just reissued it.
    await records.holdCrlIssuance();
    const again = await records.latestCrl();
    if (again && !stale(again, km.now())) return again;
    return publishCrl(records, await unlockAsNode(records, km.dataDirectory), km.now());
  });
}

export function registerCrlRoute(app: FastifyInstance, km: KmServerContext): void {
  app.get('/crl', async (request, reply) => {
    try {
      const crl = await currentCrl(km);
      const etag = `"crl-${crl.crlNumber}"`;
      const lastModified = new Date(crl.thisUpdate).toUTCString();
      reply.header('ETag', etag).header('Last-Modified', lastModified).header('Cache-Control', 'no-cache');
      const since = request.headers['if-modified-since'];
      const unchanged =
        request.headers['if-none-match'] !== undefined
          ? request.headers['if-none-match'] === etag
          : since !== undefined && Date.parse(since) >= Date.parse(lastModified);
      if (unchanged) return reply.code(304).send();
      return reply.type('application/pkix-crl').send(Buffer.from(crl.der));
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
