// `npm run dist`: the installers (docs/deploying.md). electron-builder rebuilds the native
// modules (keytar, better-sqlite3) for Electron's ABI IN PLACE in node_modules/, after which the
// CLI, the browser host and every test (all plain Node) can no longer load them. So whatever
// electron-builder does, success, failure or Ctrl-C, the modules are rebuilt for Node afterwards.
// Extra arguments go to electron-builder, e.g. `npm run dist -- --linux deb`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const nativeModules = ['keytar', 'better-sqlite3'];

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return result.status ?? 1;
}

process.on('SIGINT', () => undefined); // let the child stop first, then restore below
let status = 1;
try {
  status = run('npx', [
    'electron-builder',
    '--config',
    'build/electron-builder.config.cjs',
    ...process.argv.slice(2),
  ]);
} finally {
  console.log(
    `sealmail: rebuilding ${nativeModules.join(', ')} for Node again (electron-builder rebuilt them for Electron)`,
  );
  if (run('npm', ['rebuild', ...nativeModules]) !== 0) {
    console.error(
      `sealmail: run \`npm rebuild ${nativeModules.join(' ')}\` before running tests or the CLI.`,
    );
    status ||= 1;
  }
}
process.exit(status);
