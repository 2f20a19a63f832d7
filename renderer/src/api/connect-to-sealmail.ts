// One SealmailApi for the whole renderer: Electron's preload when present, otherwise the
// browser host's WebSocket (ARCHITECTURE.md "Environment facts"). Nothing else in the renderer
// knows which one it got.
import type { ErrorInfo, Result } from '../../../core/errors.js';
import type { SealmailApi } from '../../../core/api/types.js';
import { BrowserHostClient } from './browser-host-client.js';
import { apiSocketUrl, takeSecretFromLocation } from './host-secret.js';

/** Used when neither transport is available, so every call explains the way out. */
class NoHostApi implements SealmailApi {
  private readonly error: ErrorInfo = {
    code: 'CONNECTION_FAILED',
    message:
      'This page was opened without the Sealmail host. Start Sealmail, or open the address that `npm run dev:browser` printed (it ends in #secret=…).',
  };
  async invoke(): Promise<Result<never>> {
    return { ok: false, error: this.error };
  }
  on(): () => void {
    return () => undefined;
  }
}

export function connectToSealmail(): SealmailApi {
  if (window.sealmail) return window.sealmail;
  const secret = takeSecretFromLocation();
  if (secret === null) return new NoHostApi();
  return new BrowserHostClient(apiSocketUrl(), secret);
}
