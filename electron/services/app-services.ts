// What the IPC handler table (electron/main), the browser host and the CLI need from the
// services. Each group is implemented in its own folder; create-app-services.ts wires them.
import type {
  AccountSummary,
  AccountTestReport,
  FolderSummary,
  MessagePage,
  OutboxItem,
} from '../../core/api/types.js';
import type { NewAccount, OutgoingMessage, SealedMessage, ValidRequestOf } from '../../core/api/schemas.js';
import type {
  EstReply,
  RecipientCertificate,
  RevocationView,
  SecurityStatus,
} from '../../core/api/security-types.js';
import type { EffectivePolicy } from '../../core/policy/effective-policy.js';
import type { EventBus } from './event-bus.js';
import type { EnrollmentLinks } from './enrollment/enrollment-links.js';
import type { RemoteContentServices } from './remote-content/fetch-remote-images.js';

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
  /** The plain MIME of a draft, for the crypto worker to sign and encrypt; nothing is queued. */
  compose(accountId: string, message: OutgoingMessage): Promise<{ raw: Uint8Array; messageId: string }>;
  /** Queues bytes the worker sealed, exactly as they are; appends them to Sent once delivered. */
  sendSealed(accountId: string, message: SealedMessage): Promise<OutboxItem>;
}

/**
 * Advanced Security for the desktop (issue 6). Main holds only public certificates, the key
 * file's encrypted bytes and the KM connection; the crypto worker does the rest.
 */
export interface SecurityServices {
  status(accountId: string): Promise<SecurityStatus>;
  setDefaults(accountId: string, defaults: { sign: boolean; encrypt: boolean }): Promise<SecurityStatus>;
  setKm(accountId: string, km: { url: string; caPem?: string }): Promise<SecurityStatus>;
  readKeyFile(accountId: string): Promise<Uint8Array>;
  saveKeyFile(request: ValidRequestOf<'keyfile.save'>): Promise<SecurityStatus>;
  est(request: ValidRequestOf<'km.est'>): Promise<EstReply>;
  checkRecipients(accountId: string, addresses: string[]): Promise<RecipientCertificate[]>;
  revocation(request: ValidRequestOf<'certificates.revocation'>): Promise<RevocationView>;
  harvest(request: ValidRequestOf<'certificates.harvest'>): Promise<void>;
}

export interface PolicyServices {
  /** The merged policy in force; never throws: a broken policy file yields restrictive settings. */
  current(): Promise<EffectivePolicy>;
}

export interface FileServices {
  /** Electron: the save dialog. Browser host: a file in the home's downloads folder. */
  save(request: ValidRequestOf<'files.save'>): Promise<{ saved: boolean; path: string | null }>;
}

export interface AppServices {
  accounts: AccountServices;
  folders: FolderServices;
  messages: MessageServices;
  sync: SyncServices;
  outbox: OutboxServices;
  security: SecurityServices;
  policy: PolicyServices;
  files: FileServices;
  /** Remote images of unencrypted mail, fetched only on the user's request (issue 6). */
  remoteContent: RemoteContentServices;
  enrollmentLinks: EnrollmentLinks;
  events: EventBus;
  /** Stops background work (IDLE, reconnects, outbox timers) and closes connections. */
  close(): Promise<void>;
}
