#!/usr/bin/env node
// The `sealmail` command. The code is TypeScript compiled by `npm run build` into dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/electron/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('sealmail: not built yet; run `npm run setup` (or `npm run build`) first.\n');
  process.exit(70);
}
await import(entry.href);
