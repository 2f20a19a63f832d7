// A throw-away PostgreSQL cluster from Debian's postgresql package, for the KM's shared-database
// mode (issue 4: "the same suite passes on SQLite and on PostgreSQL"). One cluster per test
// file, in a temp dir, on a free loopback port, with its socket in the temp dir, so nothing
// touches a system-wide server. PostgreSQL refuses to run as root, so as root it runs as the
// `postgres` user.
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);
const binaries = '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** postgres://… of a fresh, empty database. */
  url: string;
  stop(): Promise<void>;
}

async function asOwner(command: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const file = join(binaries, command);
  await (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args));
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'sealmail-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(uid), Number(gid));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await asOwner('initdb', ['-D', data, '-A', 'trust', '-U', 'sealmail', '--no-sync', '-E', 'UTF8']);
  await asOwner('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    'start',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
  ]);
  return {
    url: `postgres://sealmail@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await asOwner('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
