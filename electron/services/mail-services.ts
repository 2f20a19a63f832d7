// The mail engine: accounts, folders, messages and sync over one long-lived IMAP session per
// account, with a local header cache. The outbox is wired separately (create-app-services.ts).
import type { AccountServices, FolderServices, MessageServices, SyncServices } from './app-services.js';
import type { EventBus } from './event-bus.js';
import type { SealmailHome } from './home.js';
import { createKeychain, type Keychain } from './keychain.js';
import { createAccountStore } from './accounts/account-services.js';
import { AccountSession } from './imap/account-session.js';
import { defaultBackoff, type BackoffPolicy } from './imap/reconnect-backoff.js';
import { listFolders } from './imap/folder-list.js';
import { changeFlags, deleteMessages, fetchRawMessage, moveMessages } from './imap/message-actions.js';
import { HeaderCache } from './cache/header-cache.js';
import { syncFolder } from './sync/folder-sync.js';

export interface MailServices {
  accounts: AccountServices;
  folders: FolderServices;
  messages: MessageServices;
  sync: SyncServices;
  /** Connects the account now (and, in the app, starts IDLE on its INBOX). */
  connect(accountId: string): Promise<void>;
  close(): Promise<void>;
}

export interface MailServicesOptions {
  keychain?: Keychain;
  backoff?: BackoffPolicy;
  /** IDLE on each connected account's INBOX between operations (default true). */
  watchInbox?: boolean;
  /** UIDs per sync FETCH command. */
  syncBatchSize?: number;
  /** false forces the UIDVALIDITY/UIDNEXT sync even where the server offers QRESYNC (default true). */
  useModseq?: boolean;
}

export function createMailServices(
  home: SealmailHome,
  events: EventBus,
  options: MailServicesOptions = {},
): MailServices {
  const keychain = options.keychain ?? createKeychain();
  const sessions = new Map<string, AccountSession>();
  let openedCache: HeaderCache | null = null;
  // Opened on first use, so `account add` and `--help` never create a database.
  const cache = (): HeaderCache => (openedCache ??= new HeaderCache(home.cacheFile));

  const store = createAccountStore(home.configFile, keychain, async (accountId) => {
    await sessions.get(accountId)?.close();
    sessions.delete(accountId);
    cache().forgetAccount(accountId);
  });

  async function session(accountId: string): Promise<AccountSession> {
    const existing = sessions.get(accountId);
    if (existing) return existing;
    const account = await store.get(accountId);
    const created =
      sessions.get(accountId) ??
      new AccountSession(account, () => keychain.getPassword(accountId), events, {
        backoff: options.backoff ?? defaultBackoff,
        watchInbox: options.watchInbox ?? true,
        useModseq: options.useModseq ?? true,
      });
    sessions.set(accountId, created);
    return created;
  }

  const sync: SyncServices = {
    async folder(accountId, folder) {
      const s = await session(accountId);
      const { total, added, removed } = await s.use((client) =>
        syncFolder({ client, cache: cache(), events, accountId, batchSize: options.syncBatchSize }, folder),
      );
      return { total, added, removed };
    },
  };

  const messages: MessageServices = {
    async list({ accountId, folder, offset, limit }) {
      await store.get(accountId);
      return cache().page(accountId, folder, offset, limit);
    },
    async fetchRaw({ accountId, folder, uid }) {
      return (await session(accountId)).use((client) => fetchRawMessage(client, folder, uid));
    },
    async setFlags({ accountId, folder, uids, add, remove }) {
      const after = await (
        await session(accountId)
      ).use((client) => changeFlags(client, folder, uids, add, remove));
      cache().setFlags(accountId, folder, after);
    },
    async move({ accountId, folder, uids, destination }) {
      await (await session(accountId)).use((client) => moveMessages(client, folder, uids, destination));
      cache().removeMessages(accountId, folder, uids);
    },
    async delete({ accountId, folder, uids }) {
      await (await session(accountId)).use((client) => deleteMessages(client, folder, uids));
      cache().removeMessages(accountId, folder, uids);
    },
  };

  const folders: FolderServices = {
    async list(accountId) {
      return (await session(accountId)).use(listFolders);
    },
  };

  return {
    accounts: store.services,
    folders,
    messages,
    sync,
    async connect(accountId) {
      await (await session(accountId)).start();
    },
    async close() {
      await Promise.all([...sessions.values()].map((s) => s.close()));
      sessions.clear();
      openedCache?.close();
      openedCache = null;
    },
  };
}
