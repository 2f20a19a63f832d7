// What the IPC handler table (electron/main), the browser host and the CLI need from the
// services. Each group is implemented in its own folder; create-app-services.ts wires them.
import type {
  AccountSummary,
  AccountTestReport,
  FolderSummary,
  MessagePage,
  OutboxItem,
} from '../../core/api/types.js';
import type { NewAccount, OutgoingMessage, ValidRequestOf } from '../../core/api/schemas.js';
import type { EventBus } from './event-bus.js';

export interface AccountServices {
  list(): Promise<AccountSummary[]>;
  add(account: NewAccount): Promise<AccountSummary>;
  remove(accountId: string): Promise<void>;
  /** Logs in to IMAP and SMTP and reports each clearly; never throws for a failed login. */
  test(accountId: string): Promise<AccountTestReport>;
}

export interface FolderServices {
  list(accountId: string): Promise<FolderSummary[]>;
}

export interface MessageServices {
  /** From the local cache: answers at once, even for 50,000 messages. */
  list(request: ValidRequestOf<'messages.list'>): Promise<MessagePage>;
  fetchRaw(request: ValidRequestOf<'messages.fetchRaw'>): Promise<Uint8Array>;
  setFlags(request: ValidRequestOf<'messages.setFlags'>): Promise<void>;
  move(request: ValidRequestOf<'messages.move'>): Promise<void>;
  /** Moves to Trash; deleting in Trash expunges. */
  delete(request: ValidRequestOf<'messages.delete'>): Promise<void>;
}

export interface SyncServices {
  folder(accountId: string, folder: string): Promise<{ total: number; added: number; removed: number }>;
}

export interface OutboxServices {
  /** Composes, queues durably, and starts delivery; resolves once the message is safely queued. */
  send(accountId: string, message: OutgoingMessage): Promise<OutboxItem>;
  list(accountId?: string): Promise<OutboxItem[]>;
  retry(id: string): Promise<OutboxItem>;
  remove(id: string): Promise<void>;
}

export interface AppServices {
  accounts: AccountServices;
  folders: FolderServices;
  messages: MessageServices;
  sync: SyncServices;
  outbox: OutboxServices;
  events: EventBus;
  /** Stops background work (IDLE, reconnects, outbox timers) and closes connections. */
  close(): Promise<void>;
}
