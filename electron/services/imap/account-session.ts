// One long-lived IMAP connection per account. Operations run one at a time over it; between them
// the connection sits in IDLE on the INBOX (RFC 2177) so new mail is reported within seconds.
// When the connection fails or drops it is re-opened with exponential backoff and jitter, and
// every change of state is reported as a 'connection.state' event.
import type { ImapFlow } from 'imapflow';
import { SealmailError, toErrorInfo } from '../../../core/errors.js';
import type { EventBus } from '../event-bus.js';
import type { StoredAccount } from '../accounts/stored-account.js';
import { createImapClient } from './connection.js';
import { describeServerFailure, type ServerEndpoint } from './server-errors.js';
import { defaultBackoff, reconnectDelay, type BackoffPolicy } from './reconnect-backoff.js';

export interface SessionOptions {
  backoff: BackoffPolicy;
  /** IDLE on the INBOX between operations (the desktop app); the CLI does not need it. */
  watchInbox: boolean;
  /**
   * ENABLE CONDSTORE and QRESYNC (RFC 7162) when the server offers them. Off, the session looks
   * like one with a server that has neither, and sync falls back to UIDVALIDITY/UIDNEXT.
   */
  useModseq?: boolean;
}

// RFC 2177 section 3: servers may drop an IDLE after 30 minutes; re-issue it before that.
const idleRestartMs = 25 * 60_000;

const nothing = (): void => undefined;

export class AccountSession {
  private client: ImapFlow | null = null;
  private connecting: Promise<ImapFlow> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private closed = false;
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly endpoint: ServerEndpoint;

  constructor(
    private readonly account: StoredAccount,
    private readonly password: () => Promise<string>,
    private readonly events: EventBus,
    private readonly options: SessionOptions = { backoff: defaultBackoff, watchInbox: true },
  ) {
    this.endpoint = { protocol: 'IMAP', server: account.imap, username: account.username };
  }

  /** Runs `operation` when the connection is free; connects first if needed. */
  use<T>(operation: (client: ImapFlow) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new SealmailError('INTERNAL', 'the mail services were closed'));
    this.pending++;
    const run = this.tail.then(async () => operation(await this.connected()));
    this.tail = run.then(nothing, nothing).then(() => {
      this.pending--;
      if (this.pending === 0) this.idleSoon();
    });
    return run.catch((error: unknown) => {
      throw describeServerFailure(this.endpoint, error);
    });
  }

  /** Opens the connection now (if it is not open) without running anything on it. */
  start(): Promise<void> {
    return this.use(async () => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (client?.usable) {
      try {
        await client.logout();
      } catch {
        client.close();
      }
    } else client?.close();
    this.report('offline', null, null);
  }

  private report(
    state: 'connecting' | 'online' | 'offline' | 'retrying',
    error: SealmailError | null,
    retryAt: Date | null,
  ) {
    this.events.emit('connection.state', {
      accountId: this.account.id,
      state,
      error: error ? toErrorInfo(error) : null,
      retryAt: retryAt ? retryAt.toISOString() : null,
    });
  }

  private connected(): Promise<ImapFlow> {
    if (this.closed) return Promise.reject(new SealmailError('INTERNAL', 'the mail services were closed'));
    if (this.client?.usable) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<ImapFlow> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.report('connecting', null, null);
    let password: string;
    try {
      password = await this.password();
    } catch (error) {
      const failure = describeServerFailure(this.endpoint, error);
      this.failed(failure);
      throw failure;
    }
    const modseq = this.options.useModseq ?? true;
    const client = createImapClient(this.account, password, {
      maxIdleTime: idleRestartMs,
      ...(modseq ? { qresync: true } : { disableAutoEnable: true }),
    });
    // imapflow emits 'error' for socket failures after connect; unhandled it would crash the app.
    client.on('error', nothing);
    client.on('close', () => this.dropped(client));
    client.on('exists', (event) => {
      if (event.count > event.prevCount)
        this.events.emit('mail.new', {
          accountId: this.account.id,
          folder: event.path,
          count: event.count - event.prevCount,
        });
    });
    try {
      await client.connect();
    } catch (error) {
      client.close();
      const failure = describeServerFailure(this.endpoint, error);
      this.failed(failure);
      throw failure;
    }
    if (this.closed) {
      await client.logout().catch(nothing);
      throw new SealmailError('INTERNAL', 'the mail services were closed');
    }
    this.attempt = 0;
    this.client = client;
    this.report('online', null, null);
    return client;
  }

  /** Wrong password or an untrusted certificate will not fix itself: stop and say so. */
  private failed(failure: SealmailError): void {
    if (this.closed) return;
    if (
      failure.code === 'AUTH_FAILED' ||
      failure.code === 'TLS_UNTRUSTED' ||
      failure.code === 'KEYCHAIN_UNAVAILABLE' ||
      failure.code === 'NOT_FOUND'
    ) {
      this.report('offline', failure, null);
      return;
    }
    const delay = reconnectDelay(this.options.backoff, this.attempt++);
    const retryAt = new Date(Date.now() + delay);
    this.report('retrying', failure, retryAt);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // A background reconnect: its failure schedules the next one.
      this.start().catch(nothing);
    }, delay);
  }

  private dropped(client: ImapFlow): void {
    if (client !== this.client || this.closed) return;
    this.client = null;
    const where = `${this.account.imap.host}:${this.account.imap.port}`;
    this.failed(
      new SealmailError('CONNECTION_FAILED', `the connection to the IMAP server ${where} was lost`),
    );
  }

  /** Puts the idle connection back into IDLE on the INBOX (imapflow breaks IDLE before a command). */
  private idleSoon(): void {
    if (!this.options.watchInbox || this.closed || !this.client?.usable) return;
    this.pending++;
    this.tail = this.tail
      .then(async () => {
        const client = this.client;
        if (!client?.usable || this.closed) return;
        if (!client.mailbox || client.mailbox.path !== 'INBOX') await client.mailboxOpen('INBOX');
        client.idle().catch(nothing);
      })
      .catch(nothing)
      .then(() => {
        this.pending--;
      });
  }
}
