// The page side of the crypto worker, for integration tests without a browser: the page's
// CryptoClient and the worker's serveCryptoCalls talk over a MessageChannel, and the page's IPC
// is answered by the app's real handler table (createHandlerTable over createAppServices), as
// the browser host answers it.
import type { Channel } from '../../core/api/channels.js';
import type { RequestOf } from '../../core/api/schemas.js';
import type { Responses, SealmailApi } from '../../core/api/types.js';
import { SealmailError, type Result } from '../../core/errors.js';
import type { RunningAppServices } from '../../electron/main/create-app-services.js';
import { dispatch } from '../../electron/main/ipc-dispatch.js';
import { createHandlerTable } from '../../electron/main/ipc-handlers.js';
import type { CryptoClient } from '../../renderer/src/crypto/crypto-client.js';
import {
  createCryptoClient,
  type CryptoWorkerEndpoint,
} from '../../renderer/src/crypto/page-crypto-client.js';
import { serveCryptoCalls } from '../../renderer/src/crypto/serve-crypto-calls.js';
import type { MessageEndpoint, WorkerMessage } from '../../renderer/src/crypto/worker-protocol.js';

export interface WorkerPage {
  /** The page's typed API. */
  api: Pick<SealmailApi, 'invoke'>;
  /** An answer's value, or its coded error thrown. */
  value<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]>;
  /** A fresh worker and the page's client to it (as a new window would have). */
  startWorker(): CryptoClient;
  /** An account whose mail servers are not needed (port 1: the background connect fails quietly). */
  addAccount(name: string, email: string): Promise<string>;
  close(): void;
}

export function workerPage(services: RunningAppServices): WorkerPage {
  const table = createHandlerTable(services, { openExternal: async () => undefined });
  const ports: MessagePort[] = [];
  const api: Pick<SealmailApi, 'invoke'> = {
    invoke: (async (channel: Channel, request: unknown) =>
      dispatch(table, channel, request, () => undefined)) as SealmailApi['invoke'],
  };
  async function value<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]> {
    const answer = (await api.invoke(channel, request)) as Result<Responses[C]>;
    if (!answer.ok) throw new SealmailError(answer.error.code, answer.error.message);
    return answer.value;
  }
  return {
    api,
    value,
    startWorker() {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1, port2);
      port1.start();
      port2.start();
      serveCryptoCalls(port2 as unknown as MessageEndpoint<WorkerMessage>);
      return createCryptoClient(api, port1 as unknown as CryptoWorkerEndpoint);
    },
    async addAccount(name, email) {
      const account = await value('accounts.add', {
        name,
        email,
        username: email,
        password: `${name}-pass`,
        imap: { host: '127.0.0.1', port: 1, tls: 'tls' },
        smtp: { host: '127.0.0.1', port: 1, tls: 'tls' },
      });
      return account.id;
    },
    close() {
      for (const port of ports) port.close();
    },
  };
}
