// Bundles the preload into one CommonJS file. A sandboxed preload (sandbox: true) cannot
// require relative files or node_modules, only `electron` and a few polyfilled built-ins, so
// the allowlist it imports from core/ must be inlined. Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** esbuild's options; test/unit/preload-bundle.test.ts builds with them in memory. */
export const preloadBuildOptions = {
  absWorkingDir: root,
  entryPoints: ['electron/preload/index.ts'],
  outfile: 'dist/electron/preload/index.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 45 runs Chromium 140 and Node 22.
  target: 'node22',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await build(preloadBuildOptions);
}
