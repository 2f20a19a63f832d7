// The CryptoClient as plain functions over an `invoke`: the worker entry serves exactly this
// object, and tests in Node drive it directly, without a Worker (issue 6).
import type { CryptoClient } from '../crypto-client.js';
import { KeyAccess } from './key-access.js';
import { changePassword, exportKeyFile, importKeyFile } from './key-file-maintenance.js';
import { open } from './open.js';
import { redeem } from './redeem.js';
import { renew } from './renew.js';
import { seal } from './seal.js';
import { UnlockedKeys, type KeyClock } from './unlocked-keys.js';
import type { Invoke } from './worker-ipc.js';

export interface CryptoOperationsOptions {
  /** The clock of the unlock window (tests move it instead of waiting). */
  clock?: KeyClock;
}

export function createCryptoOperations(invoke: Invoke, options: CryptoOperationsOptions = {}): CryptoClient {
  const keys = new KeyAccess(invoke, new UnlockedKeys(options.clock));
  return {
    async isUnlocked(accountId) {
      return (await keys.kept(accountId)) !== null;
    },
    async unlock(accountId, password) {
      await keys.keys(accountId, password);
    },
    async lock(accountId) {
      keys.lock(accountId);
    },
    // A kept key predates the new key file, so it is dropped: the next use opens the new one.
    async redeem(request, onProgress) {
      const status = await redeem(invoke, request, onProgress);
      keys.lock(request.accountId);
      return status;
    },
    async importKeyFile(request) {
      const status = await importKeyFile(invoke, keys, request);
      keys.lock(request.accountId);
      return status;
    },
    // As after redeem: a kept key is the old signing key, so it is dropped.
    async renew(request) {
      const status = await renew(invoke, keys, request);
      keys.lock(request.accountId);
      return status;
    },
    changePassword: (request) => changePassword(invoke, keys, request),
    exportKeyFile: (request) => exportKeyFile(keys, request),
    seal: (request) => seal(invoke, keys, request),
    open: (request) => open(invoke, keys, request),
  };
}
