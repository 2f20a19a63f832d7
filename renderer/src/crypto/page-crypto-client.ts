// The page's CryptoClient: starts the crypto worker, sends it calls, and answers the IPC requests
// it makes on its behalf — only those on the worker's allowlist (operations/worker-ipc.ts), since
// the worker cannot reach window.sealmail itself. Errors come back as SealmailError with the
// worker's code, so the UI branches on KEYFILE_LOCKED or WRONG_PASSWORD as on any IPC error.
import type { SealmailApi } from '../../../core/api/types.js';
import type { RequestOf as IpcRequestOf } from '../../../core/api/schemas.js';
import { SealmailError, type Result } from '../../../core/errors.js';
import type { CryptoClient, RedeemProgress } from './crypto-client.js';
import { isWorkerChannel } from './operations/worker-ipc.js';
import type {
  CallArgs,
  CallMessage,
  CallResponse,
  CryptoMethod,
  MessageEndpoint,
  PageMessage,
  WorkerMessage,
} from './worker-protocol.js';

interface Pending {
  settle: (result: Result<unknown>) => void;
  progress?: (progress: RedeemProgress) => void;
}

/** A Worker, or (in tests) one end of a MessageChannel whose other end serves the calls. */
export type CryptoWorkerEndpoint = MessageEndpoint<PageMessage> & {
  addEventListener(type: 'error', listener: (event: Event) => void): void;
};

export function startCryptoWorker(): Worker {
  // Vite bundles the worker and its share of core/ as its own module script (renderer/vite.config.ts).
  return new Worker(new URL('./crypto-worker.ts', import.meta.url), {
    type: 'module',
    name: 'sealmail-crypto',
  });
}

export function createCryptoClient(
  api: Pick<SealmailApi, 'invoke'>,
  worker: CryptoWorkerEndpoint = startCryptoWorker(),
): CryptoClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const answerIpc = async (message: Extract<WorkerMessage, { kind: 'ipc' }>): Promise<void> => {
    let result: Result<unknown>;
    if (!isWorkerChannel(message.channel)) {
      result = {
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: `The crypto worker may not use ${String(message.channel)}.`,
        },
      };
    } else {
      // Main validates the request against the channel's schema, as for any other caller.
      result = await api.invoke(message.channel, message.request as IpcRequestOf<typeof message.channel>);
    }
    worker.postMessage({ kind: 'ipc-result', id: message.id, result });
  };

  worker.addEventListener('message', (event) => {
    const message = event.data as WorkerMessage;
    if (message.kind === 'ipc') {
      void answerIpc(message);
    } else if (message.kind === 'progress') {
      pending.get(message.id)?.progress?.(message.progress);
    } else if (message.kind === 'done') {
      pending.get(message.id)?.settle(message.result);
      pending.delete(message.id);
    }
  });
  worker.addEventListener('error', (event) => {
    // The worker could not start or crashed: every waiting call fails, in words the user can act on.
    const text = 'message' in event && typeof event.message === 'string' ? event.message : '';
    const detail = text ? `: ${text}` : '';
    for (const [id, call] of pending) {
      call.settle({
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `Sealmail's encryption component stopped${detail}. Restart Sealmail and try again.`,
        },
      });
      pending.delete(id);
    }
  });

  function call<M extends CryptoMethod>(
    method: M,
    args: CallArgs<M>,
    progress?: (progress: RedeemProgress) => void,
  ): Promise<CallResponse<M>> {
    const id = nextId++;
    return new Promise<CallResponse<M>>((resolve, reject) => {
      pending.set(id, {
        progress,
        settle: (result) => {
          // The worker answered this id with the method's own result.
          if (result.ok) resolve(result.value as CallResponse<M>);
          else reject(new SealmailError(result.error.code, result.error.message));
        },
      });
      worker.postMessage({ kind: 'call', id, method, args } as CallMessage);
    });
  }

  return {
    isUnlocked: (accountId) => call('isUnlocked', [accountId]),
    unlock: (accountId, password) => call('unlock', [accountId, password]),
    lock: (accountId) => call('lock', [accountId]),
    redeem: (request, onProgress) => call('redeem', [request], onProgress),
    importKeyFile: (request) => call('importKeyFile', [request]),
    renew: (request) => call('renew', [request]),
    changePassword: (request) => call('changePassword', [request]),
    exportKeyFile: (request) => call('exportKeyFile', [request]),
    seal: (request) => call('seal', [request]),
    open: (request) => call('open', [request]),
  };
}
