// The last 'connection.state' per account, so the UI can say "offline" or "retrying" and why.
import type { EventPayloads, SealmailApi } from '../../../core/api/types.js';

export type ConnectionState = EventPayloads['connection.state'];

export class ConnectionStatus {
  byAccount = $state.raw<Record<string, ConnectionState>>({});

  constructor(api: SealmailApi) {
    api.on('connection.state', (state) => {
      this.byAccount = { ...this.byAccount, [state.accountId]: state };
    });
  }
}
