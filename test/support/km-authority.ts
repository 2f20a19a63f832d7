// A KM initialised in a temporary --data directory (SQLite), for tests of the KM's lifecycle.
// The clock is settable so expiry is tested by moving time, never by waiting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialiseKm } from '../../km/authority/initialise-km.js';
import type { KmContext } from '../../km/authority/km-clock.js';
import { KmStore } from '../../km/storage/km-store.js';

export const adminPasswords = ['first admin password', 'second admin password', 'third admin password'];

export interface TestKm extends KmContext {
  dataDirectory: string;
  caCertificate: Uint8Array;
  /** Moves the KM's clock (it keeps running from there); tests of expiry use it, never waits. */
  setNow(at: Date): void;
  /** Writes each admin password to a file, as `--admin-password-file` reads them. */
  passwordFiles(): string[];
  close(): Promise<void>;
}

/** With `db` (postgres://…) the KM keeps its records there instead of SQLite in --data. */
export async function startTestKm(
  options: { required?: number; url?: string; db?: string } = {},
): Promise<TestKm> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'sealmail-km-'));
  const store = await KmStore.open({ data: dataDirectory, db: options.db });
  let offsetMs = 0;
  const context: KmContext = { store, now: () => new Date(Date.now() + offsetMs) };
  const { caCertificate } = await initialiseKm(context, {
    dataDirectory,
    url: options.url ?? 'https://127.0.0.1:8443',
    adminPasswords,
    requiredAdminPasswords: options.required ?? 2,
  });
  return {
    ...context,
    dataDirectory,
    caCertificate,
    setNow: (at) => {
      offsetMs = at.getTime() - Date.now();
    },
    passwordFiles: () =>
      adminPasswords.map((password, i) => {
        const file = join(dataDirectory, `admin-${i + 1}.txt`);
        writeFileSync(file, `${password}\n`, { mode: 0o600 });
        return file;
      }),
    close: async () => {
      await store.close();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** A client-side signing key pair, as the client's crypto worker makes one. */
export async function signingPublicKey(): Promise<Uint8Array> {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  return new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey));
}
