// `km crl`: issues a fresh CRL now (new thisUpdate and nextUpdate) and returns it. Signing a
// CRL only republishes revocations the administrators already made, so it runs with the node
// key, like `km serve`, and needs no administrator password (the issue's `km crl` has none).
import type { KmContext } from '../authority/km-clock.js';
import { unlockAsNode } from '../authority/unlocked-km.js';
import type { CrlRecord } from '../storage/records.js';
import { publishCrl } from './publish-crl.js';

export function refreshCrl(context: KmContext, dataDirectory: string): Promise<CrlRecord> {
  return context.store.transaction(async (records) => {
    const km = await unlockAsNode(records, dataDirectory);
    const now = context.now();
    const crl = await publishCrl(records, km, now);
    await records.appendAudit({
      at: now.toISOString(),
      actor: km.actor,
      action: 'crl',
      subject: `CRL ${crl.crlNumber}`,
      detail: `next update ${crl.nextUpdate}`,
    });
    return crl;
  });
}
