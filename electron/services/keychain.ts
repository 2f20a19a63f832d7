// Account passwords live in the operating system's keychain through keytar, never in a file
// (ARCHITECTURE.md invariant 3): Secret Service on Linux, Keychain on macOS, Credential Manager
// on Windows. Service "Sealmail", account = the Sealmail account id.
import { SealmailError } from '../../core/errors.js';

const service = 'Sealmail';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface Keychain {
  getPassword(accountId: string): Promise<string>;
  setPassword(accountId: string, password: string): Promise<void>;
  deletePassword(accountId: string): Promise<void>;
}

function whatToInstall(): string {
  if (process.platform === 'darwin')
    return 'the macOS Keychain should need nothing; check that the login keychain is unlocked';
  if (process.platform === 'win32')
    return 'Windows Credential Manager should need nothing; check that the user profile is loaded';
  return (
    'install gnome-keyring and libsecret-1-0 (Debian: apt-get install gnome-keyring libsecret-1-0 dbus-user-session) ' +
    'and run Sealmail in a desktop session where a D-Bus session bus and the Secret Service ' +
    '(gnome-keyring-daemon --unlock --components=secrets) are running'
  );
}

function unavailable(cause: unknown): SealmailError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new SealmailError(
    'KEYCHAIN_UNAVAILABLE',
    `the OS keychain is not available (${detail}); Sealmail keeps account passwords only there: ${whatToInstall()}`,
    { cause },
  );
}

let loaded: Promise<Keytar> | undefined;

function loadKeytar(): Promise<Keytar> {
  // keytar is a native module: load it lazily so a missing libsecret becomes a coded error at the
  // first use instead of a crash when the CLI starts.
  loaded ??= import('keytar').then(
    (module) => (module.default ?? module) as Keytar,
    (error: unknown) => {
      loaded = undefined;
      throw unavailable(error);
    },
  );
  return loaded;
}

async function call<T>(action: (keytar: Keytar) => Promise<T>): Promise<T> {
  const keytar = await loadKeytar();
  try {
    return await action(keytar);
  } catch (error) {
    throw unavailable(error);
  }
}

export function createKeychain(): Keychain {
  return {
    async getPassword(accountId) {
      const password = await call((keytar) => keytar.getPassword(service, accountId));
      if (password === null)
        throw new SealmailError(
          'NOT_FOUND',
          `no password for account "${accountId}" in the OS keychain; remove the account and add it again`,
        );
      return password;
    },
    async setPassword(accountId, password) {
      await call((keytar) => keytar.setPassword(service, accountId, password));
    },
    async deletePassword(accountId) {
      await call((keytar) => keytar.deletePassword(service, accountId));
    },
  };
}
