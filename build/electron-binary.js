// Finds the Electron binary that the `electron` package installed, without running the package's
// own index.js: that one downloads a missing binary on the spot, which `npm start` must not do
// silently (and cannot, on machines with ELECTRON_SKIP_BINARY_DOWNLOAD=1). Same rules as the
// package: dist/<path.txt>, or ELECTRON_OVERRIDE_DIST_PATH/<path.txt> when that is set.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The directory of the installed `electron` package, or null when it is not installed. */
export function electronPackageDir(fromDir) {
  try {
    return dirname(createRequire(join(fromDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The Electron executable, or null when it is not there. */
export function findElectronBinary(fromDir, env = process.env) {
  const packageDir = electronPackageDir(fromDir);
  if (!packageDir) return null;
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override)
    return existsSync(join(override, relative ?? 'electron')) ? join(override, relative ?? 'electron') : null;
  if (relative === null) return null;
  const binary = join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/** What `npm start` says when there is no binary: why, and the two ways on. */
export function missingElectronMessage() {
  return [
    "sealmail: Electron's binary is not installed (npm skips it when ELECTRON_SKIP_BINARY_DOWNLOAD is",
    'set, or when the download failed), so the desktop app cannot start. To fetch it, run:',
    '',
    '    node node_modules/electron/install.js',
    '',
    'and then `npm start` again. Without it, `npm run dev:browser` serves the same app to a browser on',
    'this machine.',
  ].join('\n');
}
