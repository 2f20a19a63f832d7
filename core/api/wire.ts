// The browser host's WebSocket protocol. It carries the same typed API as Electron's IPC, so the
// renderer in Chromium cannot tell the two apart. JSON has no bytes, so Uint8Array travels as
// {"$bytes": "<base64>"} and is restored on the other side before schema validation.
import type { Channel, EventName } from './channels.js';
import type { Result } from '../errors.js';

export type ClientFrame =
  /** First frame: proves the page was opened by whoever started the host (per-run secret). */
  { type: 'hello'; secret: string } | { type: 'invoke'; id: number; channel: Channel; request: unknown };

export type HostFrame =
  | { type: 'welcome' }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: EventName; payload: unknown };

const BYTES = '$bytes';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeFrame(frame: ClientFrame | HostFrame): string {
  return JSON.stringify(frame, (_key, value: unknown) =>
    value instanceof Uint8Array ? { [BYTES]: toBase64(value) } : value,
  );
}

export function decodeFrame(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 1 && keys[0] === BYTES && typeof record[BYTES] === 'string') {
        return fromBase64(record[BYTES]);
      }
    }
    return value;
  });
}
