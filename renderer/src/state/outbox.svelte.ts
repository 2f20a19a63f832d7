// The Outbox as the services report it: 'outbox.list' once, then every 'outbox.changed'.
import type { OutboxItem, SealmailApi } from '../../../core/api/types.js';
import type { ErrorInfo } from '../../../core/errors.js';

export class Outbox {
  items = $state.raw<OutboxItem[]>([]);
  error = $state.raw<ErrorInfo | null>(null);

  constructor(private readonly api: SealmailApi) {
    api.on('outbox.changed', ({ item }) => this.upsert(item));
  }

  async load(): Promise<void> {
    const result = await this.api.invoke('outbox.list', {});
    if (result.ok) this.items = result.value;
    else this.error = result.error;
  }

  upsert(item: OutboxItem): void {
    const others = this.items.filter((existing) => existing.id !== item.id);
    this.items = [item, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async retry(id: string): Promise<void> {
    const result = await this.api.invoke('outbox.retry', { id });
    if (result.ok) this.upsert(result.value);
    else this.error = result.error;
  }

  async remove(id: string): Promise<void> {
    const result = await this.api.invoke('outbox.remove', { id });
    if (result.ok) this.items = this.items.filter((item) => item.id !== id);
    else this.error = result.error;
  }
}
