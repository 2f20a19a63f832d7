// The few channels the crypto worker may ask the page to invoke for it. A worker cannot reach
// window.sealmail, so it asks the page, and the page refuses every other channel: whatever runs
// in the worker can read the key file, fetch public certificates and talk to the KM, nothing else.
import type { RequestOf } from '../../../../core/api/schemas.js';
import type { Responses, SealmailApi } from '../../../../core/api/types.js';
import { SealmailError } from '../../../../core/errors.js';

export const workerChannels = [
  'keyfile.read',
  'keyfile.save',
  'km.est',
  'certificates.revocation',
  'policy.get',
  'security.status',
] as const;

export type WorkerChannel = (typeof workerChannels)[number];

export function isWorkerChannel(value: unknown): value is WorkerChannel {
  return typeof value === 'string' && (workerChannels as readonly string[]).includes(value);
}

/** One IPC call on the worker's behalf: the answer's value, or the handler's error thrown as a SealmailError. */
export type Invoke = <C extends WorkerChannel>(channel: C, request: RequestOf<C>) => Promise<Responses[C]>;

/** An Invoke straight on the typed API (the page side, and tests in Node). */
export function invokeThrough(api: Pick<SealmailApi, 'invoke'>): Invoke {
  return async (channel, request) => {
    const result = await api.invoke(channel, request);
    if (!result.ok) throw new SealmailError(result.error.code, result.error.message);
    return result.value;
  };
}

/**
 * The same bytes typed as the request schemas infer them (Uint8Array over an ArrayBuffer, as
 * structured clone and the WebSocket wire produce): a view, not a copy, unless the bytes sit
 * in shared memory.
 */
export function ipcBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer, bytes.byteOffset, bytes.byteLength)
    : bytes.slice();
}
