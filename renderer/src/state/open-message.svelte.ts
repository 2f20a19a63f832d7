// The message shown in the reader: its summary from the list at once, then the raw bytes from
// 'messages.fetchRaw', parsed here in the renderer (decrypted mail never goes back to main).
import type { MessageSummary, SealmailApi } from '../../../core/api/types.js';
import type { ErrorInfo } from '../../../core/errors.js';
import { readMessage, type ReadableMessage } from '../mail/read-message.js';

export type ReaderState =
  | { status: 'empty' }
  | { status: 'loading'; summary: MessageSummary }
  | { status: 'ready'; summary: MessageSummary; message: ReadableMessage }
  | { status: 'failed'; summary: MessageSummary; error: ErrorInfo };

export class OpenMessage {
  state = $state.raw<ReaderState>({ status: 'empty' });
  private request = 0;

  constructor(private readonly api: SealmailApi) {}

  clear(): void {
    this.request++;
    this.state = { status: 'empty' };
  }

  async open(accountId: string, folder: string, summary: MessageSummary): Promise<void> {
    const request = ++this.request;
    this.state = { status: 'loading', summary };
    const result = await this.api.invoke('messages.fetchRaw', { accountId, folder, uid: summary.uid });
    if (request !== this.request) return;
    if (!result.ok) {
      this.state = { status: 'failed', summary, error: result.error };
      return;
    }
    const message = await readMessage(result.value.raw);
    if (request !== this.request) return;
    this.state = { status: 'ready', summary, message };
  }
}
