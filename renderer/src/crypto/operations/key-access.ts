// Gets an account's key file contents for an operation that needs the private keys, following
// the policy's security profile (seed 004): "high" opens the key file with the password given
// for this very operation and keeps nothing; "medium" keeps it unlocked for cacheMinutes. Without
// a password and without a kept key the answer is KEYFILE_LOCKED, which the UI turns into the
// password prompt. A wrong password is WRONG_PASSWORD from core/keyfile, passed on as it is.
import { SealmailError } from '../../../../core/errors.js';
import { openKeyFile, type KeyFileContents } from '../../../../core/keyfile/key-file.js';
import type { SecurityProfile } from '../../../../core/policy/effective-policy.js';
import type { UnlockedKeys } from './unlocked-keys.js';
import type { Invoke } from './worker-ipc.js';

export function keyFileLocked(): SealmailError {
  return new SealmailError(
    'KEYFILE_LOCKED',
    'Your key file is locked. Type the key-file password to continue.',
  );
}

export class KeyAccess {
  constructor(
    private readonly invoke: Invoke,
    private readonly unlocked: UnlockedKeys,
  ) {}

  async profile(): Promise<SecurityProfile> {
    return (await this.invoke('policy.get', {})).securityProfile.value;
  }

  /** Reads the stored key file and opens it; nothing is kept. */
  async open(accountId: string, password: string): Promise<KeyFileContents> {
    const { bytes } = await this.invoke('keyfile.read', { accountId });
    return (await openKeyFile(bytes, password)).contents;
  }

  /** The kept contents, if the profile still allows keeping them. */
  async kept(accountId: string): Promise<KeyFileContents | null> {
    if ((await this.profile()).kind === 'high') {
      // The organisation may have switched to "high" while a key was kept: drop it now.
      this.unlocked.forget(accountId);
      return null;
    }
    return this.unlocked.take(accountId);
  }

  /**
   * The contents for an operation that needs a private key. A given password is always checked
   * (so a mistyped one is reported, not hidden by a kept key) and, under "medium", restarts the
   * window.
   */
  async keys(accountId: string, password?: string): Promise<KeyFileContents> {
    const profile = await this.profile();
    if (profile.kind === 'high') this.unlocked.forget(accountId);
    if (password !== undefined) {
      const contents = await this.open(accountId, password);
      if (profile.kind === 'medium') this.unlocked.keep(accountId, contents, profile.cacheMinutes);
      return contents;
    }
    const kept = profile.kind === 'medium' ? this.unlocked.take(accountId) : null;
    if (!kept) throw keyFileLocked();
    return kept;
  }

  lock(accountId: string): void {
    this.unlocked.forget(accountId);
  }
}
