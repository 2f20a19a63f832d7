// The message shown in the reader: its summary from the list at once, then the raw bytes from
// 'messages.fetchRaw'. Signed or encrypted mail goes to the crypto worker, which decrypts (asking
// for the key-file password: KEYFILE_LOCKED) and verifies; what it returns is parsed here in the
// renderer and never goes back to main (ARCHITECTURE.md invariant 2).
import type { MessageSummary, SealmailApi } from '../../../core/api/types.js';
import type { ErrorInfo } from '../../../core/errors.js';
import type { EffectivePolicy } from '../../../core/policy/effective-policy.js';
import type { OpenReport } from '../../../core/smime/open.js';
import type { CryptoClient, OpenedMessage } from '../crypto/crypto-client.js';
import { readMessage, type ReadableMessage } from '../mail/read-message.js';
import { readOuterHeaders, type OuterHeaders } from '../mail/outer-headers.js';
import { cryptoError } from './send-flow.svelte.js';
import { ipcBytes } from '../mail/ipc-bytes.js';

export interface ShownMessage {
  summary: MessageSummary;
  accountId: string;
  message: ReadableMessage;
  headers: OuterHeaders;
  /** The worker's verdict; null for mail that is neither signed nor encrypted. */
  report: OpenReport | null;
}

export type ReaderState =
  | { status: 'empty' }
  | { status: 'loading'; summary: MessageSummary }
  | ({ status: 'ready' } & ShownMessage)
  /** Encrypted: the key file is locked. `problem` after a wrong password. */
  | { status: 'locked'; summary: MessageSummary; problem: string | null; opening: boolean }
  | { status: 'failed'; summary: MessageSummary; error: ErrorInfo };

export class OpenMessage {
  state = $state.raw<ReaderState>({ status: 'empty' });
  /** What the organisation allows with an open message (saving Confidential attachments). */
  policy = $state.raw<EffectivePolicy | null>(null);
  private request = 0;
  /** The ciphertext waiting for the password, with where it came from. */
  private waiting: { accountId: string; raw: Uint8Array; headers: OuterHeaders } | null = null;

  constructor(
    private readonly api: SealmailApi,
    private readonly crypto: CryptoClient,
  ) {}

  clear(): void {
    this.request++;
    this.waiting = null;
    this.state = { status: 'empty' };
  }

  async open(accountId: string, folder: string, summary: MessageSummary): Promise<void> {
    const request = ++this.request;
    this.waiting = null;
    this.state = { status: 'loading', summary };
    if (!this.policy) void this.loadPolicy();
    const result = await this.api.invoke('messages.fetchRaw', { accountId, folder, uid: summary.uid });
    if (request !== this.request) return;
    if (!result.ok) {
      this.state = { status: 'failed', summary, error: result.error };
      return;
    }
    const raw = result.value.raw;
    const headers = await readOuterHeaders(raw);
    if (summary.security === 'none') {
      const message = await readMessage(raw);
      if (request !== this.request) return;
      this.state = { status: 'ready', summary, accountId, message, headers, report: null };
      return;
    }
    this.waiting = { accountId, raw, headers };
    await this.openSecured(request, summary, undefined);
  }

  private async loadPolicy(): Promise<void> {
    const result = await this.api.invoke('policy.get', {});
    if (result.ok) this.policy = result.value;
  }

  /** The decrypt password prompt's answer. */
  async unlock(password: string): Promise<void> {
    if (this.state.status !== 'locked') return;
    this.state = { ...this.state, opening: true, problem: null };
    await this.openSecured(this.request, this.state.summary, password);
  }

  private async openSecured(request: number, summary: MessageSummary, password: string | undefined) {
    const waiting = this.waiting;
    if (!waiting) return;
    let opened: OpenedMessage;
    try {
      opened = await this.crypto.open({
        accountId: waiting.accountId,
        raw: waiting.raw,
        ...(password !== undefined ? { password } : {}),
      });
    } catch (error) {
      if (request !== this.request) return;
      const info = cryptoError(error);
      if (info.code === 'KEYFILE_LOCKED' || info.code === 'WRONG_PASSWORD') {
        const problem =
          info.code === 'WRONG_PASSWORD' ? 'That password did not open your key file. Try again.' : null;
        this.state = { status: 'locked', summary, problem, opening: false };
      } else {
        this.state = { status: 'failed', summary, error: info };
      }
      return;
    }
    const message = await readMessage(opened.content);
    if (request !== this.request) return;
    this.waiting = null;
    this.state = {
      status: 'ready',
      summary,
      accountId: waiting.accountId,
      message,
      headers: waiting.headers,
      report: opened.report,
    };
    void this.harvest(waiting.accountId, opened);
  }

  /**
   * A valid signature vouches for the signer's certificate, so later mail to them can be
   * encrypted without the KM directory (ARCHITECTURE.md "Sending"). Best effort: a failure here
   * must not spoil reading.
   */
  private async harvest(accountId: string, opened: OpenedMessage): Promise<void> {
    const email = opened.report.signer?.email;
    const certificate = opened.signerCertificates[0];
    if (opened.report.signature !== 'valid' || !email || !certificate) return;
    await this.api.invoke('certificates.harvest', { accountId, email, certificate: ipcBytes(certificate) });
  }
}
