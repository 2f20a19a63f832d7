// Serves the handler table over Electron's ipcMain, and forwards service events to the window.
// Only requests from the app's own main frame are served: a message frame or any other page
// that somehow reached a preload gets an error, not the user's mail. Typed against the few
// members used, so tests drive it with a stand-in (index.ts passes the real ipcMain, so tsc
// checks that it fits).
import { channels, events, type EventName } from '../../core/api/channels.js';
import type { Result } from '../../core/errors.js';
import type { EventPayloads } from '../../core/api/types.js';
import type { EventBus } from '../services/event-bus.js';
import { isAppUrl } from './app-protocol.js';
import { dispatch, type ErrorLog } from './ipc-dispatch.js';
import type { HandlerTable } from './ipc-handlers.js';

export type InvokeEvent = {
  senderFrame: { url: string; parent: unknown } | null;
};

export type IpcRegistry = {
  handle(channel: string, listener: (event: InvokeEvent, payload: unknown) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
};

export function isAppMainFrame(frame: InvokeEvent['senderFrame']): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** Registers one handler per allowlisted channel; returns a function that removes them. */
export function serveIpc(
  ipc: IpcRegistry,
  table: HandlerTable,
  log: ErrorLog = (message, error) => console.error(message, error),
): () => void {
  for (const channel of channels) {
    ipc.handle(channel, async (event, payload) => {
      if (!isAppMainFrame(event.senderFrame)) {
        const url = event.senderFrame?.url ?? '(a closed frame)';
        log(`sealmail: ${channel} from ${url} refused: not the app's main frame`, null);
        return {
          ok: false,
          error: { code: 'INVALID_REQUEST', message: `${channel} is served only to Sealmail's own window.` },
        };
      }
      return dispatch(table, channel, payload, log);
    });
  }
  return () => channels.forEach((channel) => ipc.removeHandler(channel));
}

/** Sends every allowlisted service event to the window; returns an unsubscribe. */
export function forwardEvents(
  bus: EventBus,
  send: <E extends EventName>(event: E, payload: EventPayloads[E]) => void,
): () => void {
  const unsubscribes = events.map((event) => bus.on(event, (payload) => send(event, payload)));
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
