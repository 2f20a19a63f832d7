// The app's transport: the preload's window.sealmail, Electron's ipcMain serving the handler
// table, and service events forwarded to the window. Electron's ipcMain and ipcRenderer are
// replaced by a stand-in pair that passes messages in memory (no Electron binary runs here).
import { describe, expect, it } from 'vitest';
import { channels } from '../../core/api/channels.js';
import type { Result } from '../../core/errors.js';
import { createHandlerTable } from '../../electron/main/ipc-handlers.js';
import {
  forwardEvents,
  serveIpc,
  type InvokeEvent,
  type IpcRegistry,
} from '../../electron/main/ipc-main-bridge.js';
import { createSafeShell } from '../../electron/main/safe-shell.js';
import { createSealmailApi, type IpcRendererPart } from '../../electron/preload/sealmail-api.js';
import { aliceAccount, createStandInServices } from './app-services-stand-in.js';

type MainListener = (event: InvokeEvent, payload: unknown) => Promise<Result<unknown>>;
type RendererListener = (event: unknown, payload: unknown) => void;

/** An in-memory stand-in for Electron's IPC between one frame and main. */
function standInElectronIpc(frame: InvokeEvent['senderFrame']) {
  const handlers = new Map<string, MainListener>();
  const rendererListeners = new Map<string, Set<RendererListener>>();
  const ipcMain: IpcRegistry = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  // What Electron would hand a listener: an event whose `sender` reaches the raw ipcRenderer.
  const rawEvent = { sender: 'the raw ipcRenderer' };
  const ipcRenderer: IpcRendererPart = {
    async invoke(channel, payload) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler({ senderFrame: frame }, structuredClone(payload));
    },
    on(channel, listener) {
      let set = rendererListeners.get(channel);
      if (!set) rendererListeners.set(channel, (set = new Set()));
      set.add(listener);
    },
    removeListener(channel, listener) {
      rendererListeners.get(channel)?.delete(listener);
    },
  };
  const sendToWindow = (channel: string, payload: unknown): void => {
    for (const listener of rendererListeners.get(channel) ?? []) listener(rawEvent, structuredClone(payload));
  };
  return { ipcMain, ipcRenderer, handlers, sendToWindow };
}

const appFrame = { url: 'app://sealmail/index.html', parent: null };

function appOver(frame: InvokeEvent['senderFrame']) {
  const standIn = createStandInServices();
  const ipc = standInElectronIpc(frame);
  const logged: string[] = [];
  const links = createSafeShell({ openExternal: async () => undefined });
  const stopServing = serveIpc(ipc.ipcMain, createHandlerTable(standIn.services, links), (message) =>
    logged.push(message),
  );
  const stopForwarding = forwardEvents(standIn.services.events, ipc.sendToWindow);
  return { ...standIn, ...ipc, api: createSealmailApi(ipc.ipcRenderer), logged, stopServing, stopForwarding };
}

describe('Electron IPC', () => {
  it('registers exactly the allowlisted channels and removes them again', () => {
    const app = appOver(appFrame);
    expect([...app.handlers.keys()].sort()).toEqual([...channels].sort());
    app.stopServing();
    expect(app.handlers.size).toBe(0);
  });

  it("serves the app's main frame through window.sealmail", async () => {
    const { api } = appOver(appFrame);
    expect(await api.invoke('accounts.list', {})).toEqual({ ok: true, value: [aliceAccount] });
    expect(
      await api.invoke('messages.fetchRaw', { accountId: 'alice', folder: 'INBOX', uid: 0 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
  });

  it('answers an unknown channel with UNKNOWN_CHANNEL even when the renderer is not typed', async () => {
    const { api } = appOver(appFrame);
    const untyped = api.invoke as (channel: string, request: unknown) => Promise<unknown>;
    expect(await untyped('shell.run', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it.each([
    ['a message frame inside the window', { url: 'about:srcdoc', parent: appFrame }],
    ['a remote page', { url: 'https://evil.example/', parent: null }],
    ['a closed frame', null],
  ])('refuses %s and calls no service', async (_name, frame) => {
    const app = appOver(frame);
    expect(await app.api.invoke('accounts.list', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(app.calls).toEqual([]);
    expect(app.logged.join('\n')).toContain('refused');
  });

  it('forwards service events to the window, as the payload alone', () => {
    const app = appOver(appFrame);
    const received: unknown[] = [];
    const stop = app.api.on('mail.new', (payload) => received.push(payload));
    app.services.events.emit('mail.new', { accountId: 'alice', folder: 'INBOX', count: 2 });
    expect(received).toEqual([{ accountId: 'alice', folder: 'INBOX', count: 2 }]);
    stop();
    app.services.events.emit('mail.new', { accountId: 'alice', folder: 'INBOX', count: 3 });
    app.stopForwarding();
    app.services.events.emit('mail.new', { accountId: 'alice', folder: 'INBOX', count: 4 });
    expect(received).toHaveLength(1);
  });

  it('refuses to subscribe to an event that is not allowlisted', () => {
    const { api } = appOver(appFrame);
    const untyped = api.on as (event: string, listener: () => void) => () => void;
    expect(() => untyped('ipc-internal', () => undefined)).toThrow('is not a Sealmail event');
  });
});
