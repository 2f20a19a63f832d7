// The open folder's message list, fetched page by page from the local cache ('messages.list'
// offset/limit) as rows scroll into view, so 50,000 messages cost only what is on screen.
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { MessageSummary, SealmailApi } from '../../../core/api/types.js';
import type { ErrorInfo } from '../../../core/errors.js';

export const pageSize = 200;

export class FolderMessages {
  total = $state(0);
  /** True once the first page answered, so "no messages" is not said too early. */
  loaded = $state(false);
  error = $state.raw<ErrorInfo | null>(null);
  private readonly pages = new SvelteMap<number, MessageSummary[]>();
  private readonly inFlight = new SvelteSet<number>();
  private lastRange: [number, number] = [0, pageSize];
  private generation = 0;

  constructor(
    private readonly api: SealmailApi,
    readonly accountId: string,
    readonly folder: string,
  ) {}

  /** The row at `index`, or undefined while its page is on its way. */
  at(index: number): MessageSummary | undefined {
    return this.pages.get(Math.floor(index / pageSize))?.[index % pageSize];
  }

  /** Makes sure rows [start, end) are loaded or loading. */
  show(start: number, end: number): void {
    this.lastRange = [start, end];
    const first = Math.floor(start / pageSize);
    const last = Math.floor(Math.max(start, end - 1) / pageSize);
    for (let page = first; page <= last; page++) {
      if (!this.pages.has(page) && !this.inFlight.has(page)) void this.fetchPage(page, this.generation);
    }
  }

  /** After a sync or new mail: fetch what is on screen again, keeping old rows until it arrives. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    this.inFlight.clear();
    const [start, end] = this.lastRange;
    const first = Math.floor(start / pageSize);
    const last = Math.floor(Math.max(start, end - 1) / pageSize);
    const fresh: [number, MessageSummary[]][] = [];
    for (let page = first; page <= last; page++) {
      const items = await this.request(page, generation);
      if (items === null) return;
      fresh.push([page, items]);
    }
    if (generation !== this.generation) return;
    this.pages.clear();
    for (const [page, items] of fresh) this.pages.set(page, items);
  }

  private async fetchPage(page: number, generation: number): Promise<void> {
    this.inFlight.add(page);
    const items = await this.request(page, generation);
    this.inFlight.delete(page);
    if (items !== null && generation === this.generation) this.pages.set(page, items);
  }

  private async request(page: number, generation: number): Promise<MessageSummary[] | null> {
    const result = await this.api.invoke('messages.list', {
      accountId: this.accountId,
      folder: this.folder,
      offset: page * pageSize,
      limit: pageSize,
    });
    if (generation !== this.generation) return null;
    if (!result.ok) {
      this.error = result.error;
      return null;
    }
    this.error = null;
    this.total = result.value.total;
    this.loaded = true;
    return result.value.items;
  }
}
