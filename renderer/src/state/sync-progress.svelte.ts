// Sync of the open folder: started when a folder opens, progress from 'sync.progress'.
import type { SealmailApi } from '../../../core/api/types.js';
import type { ErrorInfo } from '../../../core/errors.js';

export interface FolderSync {
  accountId: string;
  folder: string;
  running: boolean;
  done: number;
  total: number;
  error: ErrorInfo | null;
}

export class SyncProgress {
  current = $state.raw<FolderSync | null>(null);
  constructor(
    private readonly api: SealmailApi,
    /** Called when a folder's sync ends (either way), so its list and counts can be refreshed. */
    private readonly onFinished: (accountId: string, folder: string) => void,
  ) {
    api.on('sync.progress', (progress) => {
      const current = this.current;
      if (!current || current.accountId !== progress.accountId || current.folder !== progress.folder) return;
      this.current = { ...current, done: progress.done, total: progress.total };
    });
  }

  async start(accountId: string, folder: string): Promise<void> {
    this.current = { accountId, folder, running: true, done: 0, total: 0, error: null };
    const result = await this.api.invoke('sync.folder', { accountId, folder });
    const current = this.current;
    // Another folder may have been opened meanwhile; its sync owns the bar now.
    if (current.accountId !== accountId || current.folder !== folder) return;
    this.current = result.ok
      ? { ...current, running: false, done: result.value.total, total: result.value.total }
      : { ...current, running: false, error: result.error };
    this.onFinished(accountId, folder);
  }
}
