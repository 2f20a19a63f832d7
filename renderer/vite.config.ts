// Builds the renderer into dist/renderer. The same files are loaded by Electron (file://, hence
// the relative base) and served by the browser host to Chromium in end-to-end tests.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** A file: URL as a path, without node:url (lint keeps every node:* import out of renderer/). */
function pathOf(url: URL): string {
  // "/C:/x" on Windows must become "C:/x".
  return decodeURIComponent(url.pathname).replace(/^\/([A-Za-z]:)/, '$1');
}

export default defineConfig({
  root: pathOf(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: pathOf(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  // The crypto worker (src/crypto/crypto-worker.ts) is an ES module worker: one more file in
  // dist/renderer, loaded from 'self' like the page's own scripts (worker-src 'self' in the CSP).
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
