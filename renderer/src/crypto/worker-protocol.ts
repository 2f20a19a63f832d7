// The messages between the page and the crypto worker: an id-matched command protocol as a
// discriminated union (STYLE.md, after Bitwarden's encrypt.worker.ts), in both directions. The
// page calls a CryptoClient method; the worker may, while working on it, ask the page to invoke
// one of the worker's IPC channels (worker-ipc.ts) and gets the Result back. Errors cross as
// ErrorInfo {code, message} and become SealmailError again on the other side.
import type { RequestOf as IpcRequestOf } from '../../../core/api/schemas.js';
import type { ErrorInfo, Result } from '../../../core/errors.js';
import type { CryptoClient, RedeemProgress } from './crypto-client.js';
import type { WorkerChannel } from './operations/worker-ipc.js';

export type CryptoMethod = keyof CryptoClient;
/** A method's arguments as they cross: redeem's progress callback stays on the page. */
export type CallArgs<M extends CryptoMethod> = M extends 'redeem'
  ? [Parameters<CryptoClient['redeem']>[0]]
  : Parameters<CryptoClient[M]>;
export type CallResponse<M extends CryptoMethod> = Awaited<ReturnType<CryptoClient[M]>>;

/** Page → worker: run one operation. */
export type CallMessage = {
  [M in CryptoMethod]: { kind: 'call'; id: number; method: M; args: CallArgs<M> };
}[CryptoMethod];

/** Page → worker: the answer to an IPC the worker asked for. */
export interface IpcResultMessage {
  kind: 'ipc-result';
  id: number;
  result: Result<unknown>;
}

export type PageMessage = CallMessage | IpcResultMessage;

/** Worker → page. */
export type WorkerMessage =
  | { kind: 'done'; id: number; result: Result<unknown> }
  | { kind: 'progress'; id: number; progress: RedeemProgress }
  | {
      [C in WorkerChannel]: { kind: 'ipc'; id: number; channel: C; request: IpcRequestOf<C> };
    }[WorkerChannel];

/** What both ends of the channel look like: a Worker, the worker's global scope, a MessagePort. */
export interface MessageEndpoint<Out> {
  postMessage(message: Out): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export function failed(error: ErrorInfo): Result<never> {
  return { ok: false, error };
}
