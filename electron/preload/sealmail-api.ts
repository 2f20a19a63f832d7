// The typed bridge the renderer sees as `window.sealmail` (STYLE.md: one typed bridge). It
// invokes only allowlisted channels, subscribes only to allowlisted events, and hands the
// renderer the payload alone: never Electron's IpcRendererEvent, whose `sender` would give a
// compromised page the raw ipcRenderer. Typed against the few ipcRenderer members used, so a
// unit test drives it with a stand-in; index.ts passes the real one.
import { isChannel, isEventName, type Channel, type EventName } from '../../core/api/channels.js';
import type { RequestOf } from '../../core/api/schemas.js';
import type { EventPayloads, Responses, SealmailApi } from '../../core/api/types.js';
import type { Result } from '../../core/errors.js';

export interface IpcRendererPart {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function createSealmailApi(ipc: IpcRendererPart) {
  const api = {
    invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>> {
      // The renderer is typed, but a compromised page is not: check at run time too.
      if (!isChannel(channel)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: `"${String(channel)}" is not a Sealmail channel.` },
        });
      }
      // Main validates the request and always answers with a result envelope.
      return ipc.invoke(channel, request) as Promise<Result<Responses[C]>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      if (!isEventName(event)) throw new TypeError(`"${String(event)}" is not a Sealmail event.`);
      const forward = (_event: unknown, payload: unknown): void => listener(payload as EventPayloads[E]);
      ipc.on(event, forward);
      return () => {
        ipc.removeListener(event, forward);
      };
    },
  } satisfies SealmailApi;
  return api;
}

export type SealmailBridge = ReturnType<typeof createSealmailApi>;
