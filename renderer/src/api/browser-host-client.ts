// SealmailApi over the browser host's WebSocket (core/api/wire.ts). Frames: hello → welcome, then
// invoke/result matched by id, and event frames pushed by the host.
import { isChannel, isEventName, type Channel, type EventName } from '../../../core/api/channels.js';
import type { EventPayloads, Responses, SealmailApi } from '../../../core/api/types.js';
import type { RequestOf } from '../../../core/api/schemas.js';
import type { ErrorInfo, Result } from '../../../core/errors.js';
import { decodeFrame, encodeFrame, type ClientFrame, type HostFrame } from '../../../core/api/wire.js';

type Settle = (result: Result<unknown>) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value.ok === true) return 'value' in value;
  return value.ok === false && isRecord(value.error) && typeof value.error.code === 'string';
}

/** Checks the envelope of a frame; payloads are the host's answers, typed by the channel. */
function asHostFrame(value: unknown): HostFrame | null {
  if (!isRecord(value)) return null;
  if (value.type === 'welcome') return { type: 'welcome' };
  if (value.type === 'result' && typeof value.id === 'number' && isResult(value.result))
    return { type: 'result', id: value.id, result: value.result };
  if (value.type === 'event' && isEventName(value.event))
    return { type: 'event', event: value.event, payload: value.payload };
  return null;
}

function failure(message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code: 'CONNECTION_FAILED', message } };
}

export class BrowserHostClient implements SealmailApi {
  private socket: WebSocket | null = null;
  private ready: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Settle>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {}

  async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>> {
    if (!isChannel(channel))
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `No channel ${channel}.` } };
    let socket: WebSocket;
    try {
      socket = await this.connect();
    } catch (error) {
      return failure(error instanceof Error ? error.message : String(error));
    }
    const id = this.nextId++;
    const answer = new Promise<Result<unknown>>((resolve) => this.pending.set(id, resolve));
    socket.send(encodeFrame({ type: 'invoke', id, channel, request } satisfies ClientFrame));
    // The host answers each id with the handler's result for this channel, so its value has the
    // channel's response type; main validated the request and shaped the answer.
    return (await answer) as Result<Responses[C]>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    // Events for a name carry that name's payload (EventBus in electron/services is typed so).
    const untyped = listener as (payload: unknown) => void;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  /** Opens the socket on first use and again after it dropped, saying hello each time. */
  private connect(): Promise<WebSocket> {
    if (this.ready) return this.ready;
    this.ready = new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      let welcomed = false;
      socket.addEventListener('open', () => {
        socket.send(encodeFrame({ type: 'hello', secret: this.secret } satisfies ClientFrame));
      });
      socket.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (typeof event.data !== 'string') return;
        const frame = asHostFrame(decodeFrame(event.data));
        if (!frame) return;
        if (frame.type === 'welcome') {
          welcomed = true;
          resolve(socket);
        } else if (frame.type === 'result') {
          this.pending.get(frame.id)?.(frame.result);
          this.pending.delete(frame.id);
        } else {
          for (const listener of this.listeners.get(frame.event) ?? []) listener(frame.payload);
        }
      });
      socket.addEventListener('close', () => {
        this.ready = null;
        this.socket = null;
        const message = welcomed
          ? 'The connection to Sealmail closed. The next action reconnects.'
          : 'Sealmail refused the connection: the page address may be out of date. Open the address the browser host printed.';
        if (!welcomed) reject(new Error(message));
        for (const settle of this.pending.values()) settle(failure(message));
        this.pending.clear();
      });
    });
    return this.ready;
  }

  close(): void {
    this.socket?.close();
  }
}
