// node-forge, the pure-JS DES and RC2 that only legacy input needs (3DES mail, RC2/3DES PKCS#12
// imports). It takes about 80 ms to load, which every `sealmail seal` and `open` paid although
// almost none uses it (bench/smime.ts), so it is loaded on first use instead.
import type forgeModule from 'node-forge';

export type Forge = typeof forgeModule;

let loading: Promise<Forge> | undefined;

export function loadForge(): Promise<Forge> {
  loading ??= import('node-forge').then((module) => module.default);
  return loading;
}
