// Where Sealmail keeps its files: config (accounts without passwords), the header cache and the
// outbox. One directory, chosen by --home, then SEALMAIL_HOME, then the platform's config dir.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

export interface SealmailHome {
  root: string;
  configFile: string;
  cacheFile: string;
  outboxDir: string;
}

function platformDefault(): string {
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Sealmail');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Sealmail');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sealmail');
}

export function resolveHome(explicit?: string): SealmailHome {
  const root = resolve(explicit ?? process.env.SEALMAIL_HOME ?? platformDefault());
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return {
    root,
    configFile: join(root, 'config.json'),
    cacheFile: join(root, 'cache.sqlite'),
    outboxDir: join(root, 'outbox'),
  };
}
