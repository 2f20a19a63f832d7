// The one WebCrypto-backed pkijs engine. core/ runs in a Web Worker, the CLI and the KM server;
// all three have `globalThis.crypto` (WebCrypto), so there is no Node-specific code path.
import * as pkijs from 'pkijs';

let engine: pkijs.CryptoEngine | undefined;

export function cryptoEngine(): pkijs.CryptoEngine {
  if (!engine) {
    engine = new pkijs.CryptoEngine({ name: 'sealmail', crypto: globalThis.crypto });
    pkijs.setEngine('sealmail', engine);
  }
  return engine;
}

export function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle;
}
