// Unlocking the KM: the CA private key and the archive key come out of the KM secret, which
// either k administrator passwords rebuild (admin commands, seed 003) or the node key in
// --data opens (`km serve`, which must issue certificates unattended).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SealmailError } from '../../core/errors.js';
import { loadIssuingCa, type IssuingCa } from '../ca/issuing-ca.js';
import { importCaPrivateKey } from '../ca/key-algorithms.js';
import { unlockWithAdminPasswords, type AdminKeyRing } from '../secrets/admin-passwords.js';
import { derivedKey, open } from '../secrets/sealed-box.js';
import type { KmRecords } from '../storage/km-records.js';
import { nodeKeyFileName, settingNames } from './km-settings.js';

export interface UnlockedKm {
  ca: IssuingCa;
  /** Seals and opens archived encryption private keys. */
  archiveKey: Uint8Array;
  /** Who is acting, for the audit log: "admin 1, admin 3" or "km node". */
  actor: string;
}

async function required(records: KmRecords, name: string): Promise<string> {
  const value = await records.setting(name);
  if (value === undefined) {
    throw new SealmailError(
      'KM_NOT_INITIALISED',
      'this KM has no CA yet; run `sealmail km init --data DIR --url https://HOST:PORT --admin-password-file P …` first.',
    );
  }
  return value;
}

export async function caCertificateDer(records: KmRecords): Promise<Uint8Array> {
  return new Uint8Array(Buffer.from(await required(records, settingNames.caCertificate), 'base64'));
}

async function unlockedWith(records: KmRecords, kmSecret: Uint8Array, actor: string): Promise<UnlockedKm> {
  const pkcs8 = open(
    derivedKey(kmSecret, 'ca-private-key'),
    await required(records, settingNames.caPrivateKey),
    'CA key',
  );
  const ca = await loadIssuingCa(
    await caCertificateDer(records),
    await importCaPrivateKey(pkcs8),
    await required(records, settingNames.crlUrl),
  );
  return { ca, archiveKey: derivedKey(kmSecret, 'key-archive'), actor };
}

export async function unlockAsAdministrators(
  records: KmRecords,
  passwords: readonly string[],
): Promise<UnlockedKm> {
  const ring = JSON.parse(await required(records, settingNames.adminKeyRing)) as AdminKeyRing;
  const { kmSecret, admins } = unlockWithAdminPasswords(ring, passwords);
  return unlockedWith(records, kmSecret, admins.map((admin) => `admin ${admin}`).join(', '));
}

export async function unlockAsNode(records: KmRecords, dataDirectory: string): Promise<UnlockedKm> {
  const sealed = await required(records, settingNames.kmSecretForNodes);
  let nodeKey: Uint8Array;
  try {
    nodeKey = new Uint8Array(await readFile(join(dataDirectory, nodeKeyFileName)));
  } catch (error) {
    throw new SealmailError(
      'KM_NOT_INITIALISED',
      `this node has no ${nodeKeyFileName} in ${dataDirectory}; copy it from the node where ` +
        '`km init` ran (it lets this node issue certificates).',
      { cause: error },
    );
  }
  return unlockedWith(records, open(nodeKey, sealed, 'KM secret'), 'km node');
}
