// A new one-time temporary key for a mailbox (seed 003 "Enable Advanced Security" and "Recover
// Security Key"). Only its SHA-256 is stored: the key has over 100 bits of entropy, so a fast
// hash is enough to make a stolen database useless for enrolling.
import { createHash } from 'node:crypto';
import { generateTemporaryKey, normalizeTemporaryKey } from '../../core/enrollment/temporary-key.js';
import type { KmRecords } from '../storage/km-records.js';
import type { TemporaryKeyPurpose } from '../storage/records.js';
import { settingNames } from '../authority/km-settings.js';

export const defaultTemporaryKeyDays = 7;

export function temporaryKeyHash(typed: string): string {
  return createHash('sha256').update(normalizeTemporaryKey(typed)).digest('hex');
}

export interface IssuedTemporaryKey {
  email: string;
  temporaryKey: string;
  expires: string;
}

export async function issueTemporaryKey(
  records: KmRecords,
  email: string,
  purpose: TemporaryKeyPurpose,
  now: Date,
): Promise<IssuedTemporaryKey> {
  const days = Number((await records.setting(settingNames.temporaryKeyDays)) ?? defaultTemporaryKeyDays);
  const temporaryKey = generateTemporaryKey();
  const expires = new Date(now.getTime() + days * 86_400_000).toISOString();
  await records.addTemporaryKey({
    keyHash: temporaryKeyHash(temporaryKey),
    email,
    purpose,
    issuedAt: now.toISOString(),
    expiresAt: expires,
    redeemedAt: null,
    withdrawnAt: null,
    collectedAt: null,
  });
  return { email, temporaryKey, expires };
}
