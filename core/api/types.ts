// The shapes that cross the IPC boundary in answers and events.
import type { Channel, EventName } from './channels.js';
import type { Result, ErrorInfo } from '../errors.js';
import type { RequestOf, ServerSettings } from './schemas.js';
import type { EffectivePolicy } from '../policy/effective-policy.js';
import type { EnrollmentLink } from '../enrollment/enrollment-link.js';
import type { EstReply, RecipientCertificate, RevocationView, SecurityStatus } from './security-types.js';

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
  'mail.compose': { raw: Uint8Array; messageId: string };
  'mail.sendSealed': OutboxItem;
  'security.status': SecurityStatus;
  'security.setDefaults': SecurityStatus;
  'security.setKm': SecurityStatus;
  'keyfile.read': { bytes: Uint8Array };
  'keyfile.save': SecurityStatus;
  'km.est': EstReply;
  'recipients.check': RecipientCertificate[];
  'certificates.revocation': RevocationView;
  'certificates.harvest': null;
  /** saved false: the user cancelled the save dialog. */
  'files.save': { saved: boolean; path: string | null };
  'policy.get': EffectivePolicy;
  /** A sealmail://enroll link the OS handed over before the window was ready; null when none. */
  'enrollment.pendingLink': OfferedEnrollmentLink | null;
  /** One entry per requested address, in order: a data: URL, or in plain words why not. */
  'remote.fetchImages': { images: RemoteImage[] };
}

export interface RemoteImage {
  url: string;
  dataUrl: string | null;
  problem: string | null;
}

/** A sealmail://enroll link, parsed, or why it cannot be used. The wizard still asks to confirm. */
export type OfferedEnrollmentLink = { ok: true; link: EnrollmentLink } | { ok: false; error: ErrorInfo };

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
  /** The key file or certificates changed (enrolled, renewed, revoked by a CRL refresh). */
  'security.changed': { accountId: string };
  'enrollment.link': OfferedEnrollmentLink;
}

/**
 * The typed API the renderer sees as `window.sealmail`. The Electron preload and the browser
 * host's WebSocket client both implement it, so the renderer cannot tell them apart.
 */
export interface SealmailApi {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}
