// `km init`: creates the issuing CA and protects its private key with the KM secret, which is
// split among the administrators' passwords (k of n, seed 003). It also writes the node key that
// lets `km serve` run unattended, and publishes the first (empty) CRL.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SealmailError } from '../../core/errors.js';
import { createCaCertificate } from '../ca/issuing-ca.js';
import { generateCaKeyPair } from '../ca/key-algorithms.js';
import { createAdminKeyRing } from '../secrets/admin-passwords.js';
import { derivedKey, seal } from '../secrets/sealed-box.js';
import { publishCrl } from '../mailbox/publish-crl.js';
import type { KmContext } from './km-clock.js';
import { nodeKeyFileName, settingNames } from './km-settings.js';
import { unlockAsAdministrators } from './unlocked-km.js';

export interface InitialiseOptions {
  dataDirectory: string;
  /** The KM's public https URL; the CRL distribution point is `${url}/crl`. */
  url: string;
  adminPasswords: readonly string[];
  requiredAdminPasswords: number;
  caName?: string;
}

function checkedUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SealmailError('INVALID_REQUEST', `--url "${text}" is not a URL; use https://HOST:PORT.`);
  }
  if (url.protocol !== 'https:') {
    throw new SealmailError(
      'INVALID_REQUEST',
      `--url must be https (enrollment sends temporary keys), not ${url.protocol}`,
    );
  }
  return url;
}

function alreadyInitialised(): SealmailError {
  return new SealmailError(
    'ALREADY_EXISTS',
    'this KM is already initialised; its CA cannot be replaced by init.',
  );
}

async function writeNodeKey(dataDirectory: string, nodeKey: Uint8Array): Promise<void> {
  const file = join(dataDirectory, nodeKeyFileName);
  try {
    await writeFile(file, nodeKey, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new SealmailError(
      'STORAGE_FAILED',
      `cannot write the node key ${file} (${(error as Error).message}); if it is left from an ` +
        'interrupted init, remove it and run init again.',
      { cause: error },
    );
  }
}

export async function initialiseKm(
  context: KmContext,
  options: InitialiseOptions,
): Promise<{ caCertificate: Uint8Array }> {
  const url = checkedUrl(options.url);
  const base = url.href.replace(/\/$/, '');
  if ((await context.store.records.setting(settingNames.caCertificate)) !== undefined) {
    throw alreadyInitialised();
  }
  const { ring, kmSecret } = createAdminKeyRing(options.adminPasswords, options.requiredAdminPasswords);
  const now = context.now();
  const keyPair = await generateCaKeyPair();
  const caCertificate = await createCaCertificate(
    keyPair,
    options.caName ?? `Sealmail KM CA ${url.host}`,
    now,
  );
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', keyPair.privateKey));
  const nodeKey = new Uint8Array(randomBytes(32));

  await context.store.transaction(async (records) => {
    if ((await records.setting(settingNames.caCertificate)) !== undefined) {
      throw new SealmailError(
        'ALREADY_EXISTS',
        'this KM is already initialised; its CA cannot be replaced by init.',
      );
    }
    await records.putSetting(settingNames.adminKeyRing, JSON.stringify(ring));
    await records.putSetting(settingNames.caCertificate, Buffer.from(caCertificate).toString('base64'));
    await records.putSetting(
      settingNames.caPrivateKey,
      seal(derivedKey(kmSecret, 'ca-private-key'), pkcs8, 'CA key'),
    );
    await records.putSetting(settingNames.kmSecretForNodes, seal(nodeKey, kmSecret, 'KM secret'));
    await records.putSetting(settingNames.url, base);
    await records.putSetting(settingNames.crlUrl, `${base}/crl`);
    // Written inside the transaction: if the file cannot be written, nothing is committed.
    await writeNodeKey(options.dataDirectory, nodeKey);
    const unlocked = await unlockAsAdministrators(records, options.adminPasswords);
    await publishCrl(records, unlocked, now);
    await records.appendAudit({
      at: now.toISOString(),
      actor: unlocked.actor,
      action: 'init',
      subject: base,
      detail: `CA created; ${ring.required} of ${ring.slots.length} administrator passwords required`,
    });
  });
  return { caCertificate };
}
