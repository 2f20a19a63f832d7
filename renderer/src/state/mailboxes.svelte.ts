// Accounts, their folders (with unread counts) and which folder is open.
import type { AccountSummary, FolderSummary, SealmailApi } from '../../../core/api/types.js';
import type { ErrorInfo } from '../../../core/errors.js';

export interface OpenFolder {
  accountId: string;
  folder: string;
}

export class Mailboxes {
  accounts = $state.raw<AccountSummary[]>([]);
  folders = $state.raw<Record<string, FolderSummary[]>>({});
  open = $state.raw<OpenFolder | null>(null);
  /** False until the first 'accounts.list' answered, so the first-run form does not flash. */
  loaded = $state(false);
  /** Why the accounts could not be listed. */
  error = $state.raw<ErrorInfo | null>(null);
  /** Why an account's folders could not be listed (a wrong password, an unreachable server). */
  folderErrors = $state.raw<Record<string, ErrorInfo>>({});

  constructor(private readonly api: SealmailApi) {}

  async load(): Promise<void> {
    const result = await this.api.invoke('accounts.list', {});
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.error = null;
    this.accounts = result.value;
    this.loaded = true;
    await Promise.all(result.value.map((account) => this.loadFolders(account.id)));
    if (!this.open && result.value[0]) this.openFolder(result.value[0].id, 'INBOX');
  }

  async loadFolders(accountId: string): Promise<void> {
    const result = await this.api.invoke('folders.list', { accountId });
    const { [accountId]: _previous, ...otherErrors } = this.folderErrors;
    if (!result.ok) {
      this.folderErrors = { ...otherErrors, [accountId]: result.error };
      return;
    }
    this.folderErrors = otherErrors;
    this.folders = { ...this.folders, [accountId]: result.value };
  }

  openFolder(accountId: string, folder: string): void {
    if (this.open?.accountId === accountId && this.open.folder === folder) return;
    this.open = { accountId, folder };
  }

  accountOf(accountId: string): AccountSummary | undefined {
    return this.accounts.find((account) => account.id === accountId);
  }

  added(account: AccountSummary): void {
    this.accounts = [...this.accounts, account];
    this.loaded = true;
    void this.loadFolders(account.id);
    this.open = { accountId: account.id, folder: 'INBOX' };
  }
}
