// The KM store's numbered migrations (issue 4): a fresh --data directory is brought to the
// newest schema, reopening is harmless, and a database from a newer Sealmail is refused with a
// message that says to upgrade rather than being silently misread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { KmStore } from '../../km/storage/km-store.js';
import { migrations } from '../../km/storage/migrations.js';

const dirs: string[] = [];
function freshDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sealmail-km-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function appliedVersions(dir: string): number[] {
  const db = new Database(join(dir, 'km.sqlite'), { readonly: true });
  try {
    return (
      db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
    ).map((row) => row.version);
  } finally {
    db.close();
  }
}

describe('KM store migrations', () => {
  it('migrates a new data directory to the newest version, once', async () => {
    const dir = freshDirectory();
    await (await KmStore.open({ data: dir })).close();
    await (await KmStore.open({ data: dir })).close();
    expect(appliedVersions(dir)).toEqual(migrations.map((migration) => migration.version));
  });

  it('refuses a database from a newer Sealmail', async () => {
    const dir = freshDirectory();
    await (await KmStore.open({ data: dir })).close();
    const db = new Database(join(dir, 'km.sqlite'));
    db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 'later')").run();
    db.close();
    const opening = KmStore.open({ data: dir });
    await expect(opening).rejects.toThrow(SealmailError);
    await expect(opening).rejects.toThrow(/schema version 999, newer than this Sealmail knows.*Upgrade/);
  });

  it('names the way out of a --db that is not PostgreSQL', async () => {
    await expect(KmStore.open({ data: freshDirectory(), db: 'mysql://x' })).rejects.toThrow(
      /not a PostgreSQL URL/,
    );
  });

  it('keeps a transaction all-or-nothing', async () => {
    const store = await KmStore.open({ data: freshDirectory() });
    try {
      await expect(
        store.transaction(async (records) => {
          await records.setMailboxState('alice@example.test', 'New', new Date().toISOString());
          throw new SealmailError('INTERNAL', 'stop half way');
        }),
      ).rejects.toThrow('stop half way');
      expect(await store.records.mailbox('alice@example.test')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
