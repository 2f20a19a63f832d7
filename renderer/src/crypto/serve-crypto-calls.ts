// The worker side of worker-protocol.ts, apart from the Worker global so that tests run it over a
// MessageChannel in Node: it runs each call on the CryptoClient operations and relays their IPC
// requests to the page.
import { SealmailError, toErrorInfo, type Result } from '../../../core/errors.js';
import type { RequestOf as IpcRequestOf } from '../../../core/api/schemas.js';
import type { Responses } from '../../../core/api/types.js';
import type { CryptoClient, RedeemProgress } from './crypto-client.js';
import { createCryptoOperations, type CryptoOperationsOptions } from './operations/crypto-operations.js';
import type { Invoke, WorkerChannel } from './operations/worker-ipc.js';
import type { CallMessage, MessageEndpoint, PageMessage, WorkerMessage } from './worker-protocol.js';

function perform(
  operations: CryptoClient,
  call: CallMessage,
  progress: (progress: RedeemProgress) => void,
): Promise<unknown> {
  switch (call.method) {
    case 'isUnlocked':
      return operations.isUnlocked(...call.args);
    case 'unlock':
      return operations.unlock(...call.args);
    case 'lock':
      return operations.lock(...call.args);
    case 'redeem':
      return operations.redeem(...call.args, progress);
    case 'importKeyFile':
      return operations.importKeyFile(...call.args);
    case 'renew':
      return operations.renew(...call.args);
    case 'changePassword':
      return operations.changePassword(...call.args);
    case 'exportKeyFile':
      return operations.exportKeyFile(...call.args);
    case 'seal':
      return operations.seal(...call.args);
    case 'open':
      return operations.open(...call.args);
  }
}

export function serveCryptoCalls(
  endpoint: MessageEndpoint<WorkerMessage>,
  options: CryptoOperationsOptions = {},
): void {
  let nextIpc = 1;
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  const invoke: Invoke = async <C extends WorkerChannel>(channel: C, request: IpcRequestOf<C>) => {
    const id = nextIpc++;
    const answer = new Promise<Result<unknown>>((resolve) => waiting.set(id, resolve));
    endpoint.postMessage({ kind: 'ipc', id, channel, request } as WorkerMessage);
    const result = await answer;
    if (!result.ok) throw new SealmailError(result.error.code, result.error.message);
    // The page answered this id with the handler's result for `channel`.
    return result.value as Responses[C];
  };
  const operations = createCryptoOperations(invoke, options);
  endpoint.addEventListener('message', (event) => {
    const message = event.data as PageMessage;
    if (message.kind === 'ipc-result') {
      waiting.get(message.id)?.(message.result);
      waiting.delete(message.id);
      return;
    }
    const { id } = message;
    perform(operations, message, (progress) => endpoint.postMessage({ kind: 'progress', id, progress })).then(
      (value) => endpoint.postMessage({ kind: 'done', id, result: { ok: true, value } }),
      (error: unknown) =>
        endpoint.postMessage({ kind: 'done', id, result: { ok: false, error: toErrorInfo(error) } }),
    );
  });
}
