// Issues the next CRL from the certificates revoked so far and stores it, so the distribution
// point serves it (issue 4). Called after every revocation and by `km crl`, always inside a
// transaction.
import { issueCrl } from '../ca/issue-crl.js';
import type { UnlockedKm } from '../authority/unlocked-km.js';
import type { KmRecords } from '../storage/km-records.js';
import type { CrlRecord } from '../storage/records.js';
import { settingNames } from '../authority/km-settings.js';

export async function publishCrl(records: KmRecords, km: UnlockedKm, now: Date): Promise<CrlRecord> {
  // First: on PostgreSQL this waits for any other node's CRL in progress, so the revocations
  // read next include everything that CRL had (RFC 5280 §5.2.3: the numbers only go up).
  const crlNumber = await records.nextCrlNumber();
  const revoked = await records.revokedUnexpired(now.toISOString());
  const days = Number((await records.setting(settingNames.crlDays)) ?? '7');
  const { der, nextUpdate } = await issueCrl(km.ca, {
    crlNumber,
    thisUpdate: now,
    validityDays: days,
    revoked: revoked.map((certificate) => ({
      serial: certificate.serial,
      revokedAt: new Date(certificate.revokedAt ?? now.toISOString()),
      reason: certificate.revocationReason ?? 'keyCompromise',
    })),
  });
  const record = { crlNumber, der, thisUpdate: now.toISOString(), nextUpdate: nextUpdate.toISOString() };
  await records.addCrl(record);
  return record;
}
