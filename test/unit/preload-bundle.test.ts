// The preload runs sandboxed (sandbox: true), where `require` reaches only `electron` and a few
// polyfilled built-ins: a bundle that required anything else, or pulled in zod, would leave the
// window without window.sealmail. Built in memory with the options `npm run build` uses.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { channels } from '../../core/api/channels.js';
import { preloadBuildOptions } from '../../build/bundle-preload.js';

describe('preload bundle', () => {
  it('is one CommonJS file that requires only electron and carries the channel allowlist', async () => {
    const result = await build({ ...preloadBuildOptions, write: false, sourcemap: false, metafile: true });
    const bundle = result.outputFiles?.find((file) => file.path.endsWith('.cjs'))?.text ?? '';
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    for (const channel of channels) expect(bundle).toContain(`"${channel}"`);
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    expect(bundle).toContain('exposeInMainWorld("sealmail"');
  });
});
