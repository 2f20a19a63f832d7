// The Electron preload exposes its typed bridge as window.sealmail (contextBridge); the renderer's
// type for it is the preload's own (STYLE.md: one typed bridge, `typeof api`), imported as a type
// only. In the browser host it is absent and the renderer talks WebSocket instead (see
// connect-to-sealmail.ts); both satisfy core/api/types.ts's SealmailApi.
import type { SealmailBridge } from '../../../electron/preload/sealmail-api.js';

declare global {
  interface Window {
    sealmail?: SealmailBridge;
  }
}

export {};
