// The shapes that cross the IPC boundary in answers and events.
import type { Channel, EventName } from './channels.js';
import type { Result, ErrorInfo } from '../errors.js';
import type { RequestOf, ServerSettings } from './schemas.js';

export interface AccountSummary {
  id: string;
  name: string;
  email: string;
  username: string;
  imap: ServerSettings;
  smtp: ServerSettings;
}

export interface FolderSummary {
  path: string;
  name: string;
  /** RFC 6154 special use, e.g. "\\Sent", when the server announces one. */
  specialUse: string | null;
  delimiter: string;
  total: number;
  unseen: number;
}

export interface MessageSummary {
  uid: number;
  from: string;
  to: string[];
  subject: string;
  /** ISO 8601 */
  date: string;
  flags: string[];
  size: number;
  /** From the BODYSTRUCTURE: application/pkcs7-mime (encrypted or opaque-signed) or multipart/signed. */
  security: 'encrypted' | 'signed' | 'none';
  hasAttachments: boolean;
}

export interface MessagePage {
  total: number;
  offset: number;
  items: MessageSummary[];
}

export interface AccountTestReport {
  imap: { ok: boolean; message: string };
  smtp: { ok: boolean; message: string };
}

export type OutboxState = 'queued' | 'sending' | 'retrying' | 'failed' | 'sent';

export interface OutboxItem {
  id: string;
  accountId: string;
  subject: string;
  recipients: string[];
  state: OutboxState;
  attempts: number;
  /** ISO 8601, when the next automatic attempt is due (retrying only). */
  nextAttemptAt: string | null;
  lastError: ErrorInfo | null;
  createdAt: string;
}

export interface Responses {
  'accounts.list': AccountSummary[];
  'accounts.add': AccountSummary;
  'accounts.remove': null;
  'accounts.test': AccountTestReport;
  'folders.list': FolderSummary[];
  'messages.list': MessagePage;
  'messages.fetchRaw': { raw: Uint8Array };
  'messages.setFlags': null;
  'messages.move': null;
  'messages.delete': null;
  'sync.folder': { total: number; added: number; removed: number };
  'mail.send': OutboxItem;
  'outbox.list': OutboxItem[];
  'outbox.retry': OutboxItem;
  'outbox.remove': null;
  'links.openExternal': null;
}

export interface EventPayloads {
  'mail.new': { accountId: string; folder: string; count: number };
  'sync.progress': { accountId: string; folder: string; done: number; total: number };
  'outbox.changed': { item: OutboxItem };
  'connection.state': {
    accountId: string;
    state: 'connecting' | 'online' | 'offline' | 'retrying';
    error: ErrorInfo | null;
    /** ISO 8601, when the next reconnect is due (retrying only). */
    retryAt: string | null;
  };
}

/**
 * The typed API the renderer sees as `window.sealmail`. The Electron preload and the browser
 * host's WebSocket client both implement it, so the renderer cannot tell them apart.
 */
export interface SealmailApi {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}
