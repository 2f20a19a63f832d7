// `npm start`: builds when the sources are newer than dist/, then launches Electron on the app.
//
// Native modules. keytar and better-sqlite3 are compiled for one ABI: Node's in node_modules/
// (the CLI, the browser host and every test run under Node), Electron's inside the app. Rebuilding
// node_modules in place for Electron and back afterwards would break any test, CLI or second
// checkout user running meanwhile, and a crash in between would leave the wrong ABI behind. So
// the app runs from a staged copy instead, .sealmail-dev/electron-<version>/ (git-ignored):
//   - dist/ is copied in fresh on every start;
//   - node_modules/ links every package to the real one, except the native modules, which are
//     real copies rebuilt once for this Electron version with @electron/rebuild (a marker file
//     records the version, so later starts skip the rebuild).
// node_modules/ itself is never touched, and Node's module resolution finds the Electron-ABI
// copies first because they sit in the staged app's own node_modules.
import { spawnSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackageDir, findElectronBinary, missingElectronMessage } from './electron-binary.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const nativeModules = ['keytar', 'better-sqlite3'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestChange(join(path, entry)));
  }
  return newest;
}

function buildIfNeeded() {
  const outputs = [
    'dist/electron/main/index.js',
    'dist/electron/preload/index.cjs',
    'dist/renderer/index.html',
  ];
  const built = Math.min(
    ...outputs.map((output) => (existsSync(join(root, output)) ? statSync(join(root, output)).mtimeMs : 0)),
  );
  const sources = Math.max(
    ...['core', 'electron', 'renderer', 'package.json'].map((dir) => newestChange(join(root, dir))),
  );
  if (built > sources) return;
  console.log('sealmail: building (sources changed since the last build)...');
  run(npm, ['run', 'build']);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`sealmail: ${command} ${args.join(' ')} failed.`);
    process.exit(result.status ?? 1);
  }
}

function stageApp(electronVersion) {
  const stage = join(root, '.sealmail-dev', `electron-${electronVersion}`);
  const stagedModules = join(stage, 'node_modules');
  mkdirSync(stagedModules, { recursive: true });
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(
    join(stage, 'package.json'),
    JSON.stringify(
      {
        name: packageJson.name,
        version: packageJson.version,
        type: 'module',
        main: packageJson.main,
        dependencies: packageJson.dependencies,
      },
      null,
      2,
    ),
  );
  rmSync(join(stage, 'dist'), { recursive: true, force: true });
  cpSync(join(root, 'dist'), join(stage, 'dist'), { recursive: true });

  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name.startsWith('.') || nativeModules.includes(name) || existsSync(join(stagedModules, name)))
      continue;
    symlinkSync(join(root, 'node_modules', name), join(stagedModules, name), 'junction');
  }

  const marker = join(stage, '.native-modules-built-for');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== electronVersion) {
    console.log(
      `sealmail: building ${nativeModules.join(' and ')} for Electron ${electronVersion} (once)...`,
    );
    for (const name of nativeModules) {
      rmSync(join(stagedModules, name), { recursive: true, force: true });
      cpSync(join(root, 'node_modules', name), join(stagedModules, name), { recursive: true });
    }
    run(process.execPath, [
      join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'),
      '--version',
      electronVersion,
      '--module-dir',
      stage,
      '--only',
      nativeModules.join(','),
      '--force',
    ]);
    writeFileSync(marker, electronVersion);
  }
  return stage;
}

const binary = findElectronBinary(root);
if (!binary) {
  console.error(missingElectronMessage());
  process.exit(1);
}

buildIfNeeded();
const electronVersion = JSON.parse(
  readFileSync(join(electronPackageDir(root), 'package.json'), 'utf8'),
).version;
const stage = stageApp(electronVersion);
const child = spawn(binary, [stage, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
