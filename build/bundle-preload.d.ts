// Types for build/bundle-preload.js (a plain Node script, run after tsc).
import type { BuildOptions } from 'esbuild';
export const preloadBuildOptions: BuildOptions & { outfile: string };
