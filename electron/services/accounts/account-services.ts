// Adding, listing, removing and testing accounts. Settings go to config.json, the password to the
// OS keychain and nowhere else (ARCHITECTURE.md invariant 3).
import { SealmailError } from '../../../core/errors.js';
import type { AccountSummary } from '../../../core/api/types.js';
import type { NewAccount } from '../../../core/api/schemas.js';
import type { AccountServices } from '../app-services.js';
import type { Keychain } from '../keychain.js';
import { readConfig, writeConfig } from '../config/config-file.js';
import { accountIdFor } from './account-id.js';
import { testAccount } from './account-test.js';
import type { StoredAccount } from './stored-account.js';

export interface AccountStore {
  services: AccountServices;
  /** The stored account with this id, or NOT_FOUND naming it. */
  get(accountId: string): Promise<StoredAccount>;
}

function summary(account: StoredAccount): AccountSummary {
  const { id, name, email, username, imap, smtp } = account;
  return { id, name, email, username, imap, smtp };
}

export function createAccountStore(
  configFile: string,
  keychain: Keychain,
  onRemoved: (accountId: string) => Promise<void>,
): AccountStore {
  async function get(accountId: string): Promise<StoredAccount> {
    const config = await readConfig(configFile);
    const account = config.accounts.find((a) => a.id === accountId);
    if (!account)
      throw new SealmailError(
        'NOT_FOUND',
        `there is no account "${accountId}"; \`sealmail account list\` shows the accounts there are`,
      );
    return account;
  }

  const services: AccountServices = {
    async list() {
      return (await readConfig(configFile)).accounts.map(summary);
    },

    async add(request: NewAccount) {
      const config = await readConfig(configFile);
      if (config.accounts.some((a) => a.name === request.name))
        throw new SealmailError(
          'ALREADY_EXISTS',
          `an account named "${request.name}" already exists; choose another name or remove it first`,
        );
      const id = accountIdFor(request.name, new Set(config.accounts.map((a) => a.id)));
      const account: StoredAccount = {
        id,
        name: request.name,
        email: request.email,
        username: request.username,
        imap: request.imap,
        smtp: request.smtp,
        ...(request.caPem ? { caPem: request.caPem } : {}),
      };
      // The keychain first: if it is not there, nothing is written and the error says what to install.
      await keychain.setPassword(id, request.password);
      try {
        await writeConfig(configFile, { ...config, accounts: [...config.accounts, account] });
      } catch (error) {
        await keychain.deletePassword(id).catch(() => undefined);
        throw error;
      }
      return summary(account);
    },

    async remove(accountId) {
      const config = await readConfig(configFile);
      if (!config.accounts.some((a) => a.id === accountId)) await get(accountId);
      await onRemoved(accountId);
      await writeConfig(configFile, {
        ...config,
        accounts: config.accounts.filter((a) => a.id !== accountId),
      });
      await keychain.deletePassword(accountId);
    },

    async test(accountId) {
      const account = await get(accountId);
      return testAccount(account, await keychain.getPassword(accountId));
    },
  };
  return { services, get };
}
