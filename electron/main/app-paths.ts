// Where the app finds its built parts. tsc puts this file in dist/electron/main/, Vite the
// renderer in dist/renderer/, and build/bundle-preload.js the sandboxed preload in
// dist/electron/preload/index.cjs. Run from source (tsx, tests), this file sits in
// electron/main/ instead, and the built parts are still under dist/.
import { fileURLToPath } from 'node:url';

const runningFromDist = /\/dist\/electron\/main\/[^/]+$/.test(new URL(import.meta.url).pathname);
const distDir = new URL(runningFromDist ? '../../' : '../../dist/', import.meta.url);

export const builtRendererDir = fileURLToPath(new URL('renderer/', distDir));

export const builtPreloadFile = fileURLToPath(new URL('electron/preload/index.cjs', distDir));
