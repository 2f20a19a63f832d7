// Wires the real mail engine (electron/services/mail-services.ts) and the persistent outbox
// (electron/services/outbox/) into the AppServices that the handler table serves, for the app
// window and for the browser host alike. No electron import, so the browser host runs it under
// plain Node.
import type { AppServices, FileServices } from '../services/app-services.js';
import { createPolicyService, policyFilesFor } from '../services/policy/policy-service.js';
import { EventBus } from '../services/event-bus.js';
import type { SealmailHome } from '../services/home.js';
import { createEnrollmentLinks } from '../services/enrollment/enrollment-links.js';
import { createKeychain, type Keychain } from '../services/keychain.js';
import { createMailServices } from '../services/mail-services.js';
import { createAccountStore } from '../services/accounts/account-services.js';
import { createOutboxService } from '../services/outbox/outbox-service.js';
import { crlCacheDir } from '../services/crl/cached-revocation.js';
import { CrlCache } from '../services/crl/crl-cache.js';
import { startCrlRefresh, type RefreshOutcome } from '../services/crl/crl-refresh.js';
import { createDownloadsFileServices } from '../services/files/save-file.js';
import { createSecurityServices } from '../services/security/security-services.js';
import { createRemoteContentServices } from '../services/remote-content/fetch-remote-images.js';

export interface RunningAppServices extends AppServices {
  /**
   * Starts background work: the outbox resumes what an earlier run left (issue 2: nothing lost
   * or sent twice across a restart), every account connects and watches its INBOX, and each
   * cached CRL is refreshed in the background before its nextUpdate (issue 5).
   */
  start(): Promise<void>;
}

export interface AppServicesOptions {
  keychain?: Keychain;
  /** Where connection failures at start are logged; they also reach the window as events. */
  log?: (message: string, error: unknown) => void;
  /** Told of every background CRL refresh, done or failed (failures are also logged). */
  onCrlRefresh?: (outcome: RefreshOutcome) => void;
  /**
   * files.save: the Electron app passes its save dialog (electron/main/save-dialog.ts); without
   * one (the browser host) files go to <home>/downloads under a name never used before.
   */
  files?: FileServices;
}

export function createAppServices(home: SealmailHome, options: AppServicesOptions = {}): RunningAppServices {
  const log = options.log ?? ((message: string, error: unknown) => console.error(message, error));
  const keychain = options.keychain ?? createKeychain();
  const events = new EventBus();
  const mail = createMailServices(home, events, { keychain });
  // The outbox reads an account afresh for every attempt, so it needs no removal hook of its own:
  // the mail engine's store already closes the session and forgets the cache.
  const accountsForOutbox = createAccountStore(home.configFile, keychain, async () => undefined);
  const outbox = createOutboxService({
    outboxDir: home.outboxDir,
    events,
    getAccount: (id) => accountsForOutbox.get(id),
    getPassword: (id) => keychain.getPassword(id),
  });

  const announceSecurityChange = (): void => {
    mail.accounts.list().then(
      (accounts) => accounts.forEach(({ id }) => events.emit('security.changed', { accountId: id })),
      (error: unknown) => log('sealmail: the accounts could not be listed after a CRL refresh:', error),
    );
  };

  // Seed 003: the client keeps a copy of each CRL and refreshes it while the CA is reachable; a
  // failed refresh (offline) keeps the last good copy, so it is logged, never fatal.
  let stopCrlRefresh: (() => void) | null = null;
  const startRefreshingCrls = (): void => {
    try {
      stopCrlRefresh = startCrlRefresh(new CrlCache(crlCacheDir(home)), (outcome) => {
        if (!outcome.ok)
          log('sealmail: a CRL could not be refreshed; the last good copy stays:', outcome.message);
        // A new CRL may revoke someone's own certificate: each account's status is read again.
        else announceSecurityChange();
        options.onCrlRefresh?.(outcome);
      });
    } catch (error) {
      log('sealmail: the CRL cache could not be read; CRLs are not refreshed:', error);
    }
  };

  // A failed connect is not an error of start(): the session reports it as a connection.state
  // event (which the window shows) and retries with backoff on its own.
  const connect = (accountId: string): void => {
    mail
      .connect(accountId)
      .catch((error: unknown) => log(`sealmail: account ${accountId} is not connected yet:`, error));
  };

  const app: RunningAppServices = {
    accounts: {
      ...mail.accounts,
      async add(account) {
        const added = await mail.accounts.add(account);
        connect(added.id);
        return added;
      },
    },
    folders: mail.folders,
    messages: mail.messages,
    sync: mail.sync,
    outbox,
    security: createSecurityServices({
      home,
      events,
      // The policy below, whoever builds it: a locked KM address or default wins (issue 7).
      policy: () => app.policy,
      getAccount: (id) => accountsForOutbox.get(id),
    }),
    policy: createPolicyService(policyFilesFor(home)),
    files: options.files ?? createDownloadsFileServices(home),
    remoteContent: createRemoteContentServices(),
    enrollmentLinks: createEnrollmentLinks(events),
    events,
    async start() {
      await outbox.start();
      stopCrlRefresh?.();
      startRefreshingCrls();
      for (const account of await mail.accounts.list()) connect(account.id);
    },
    async close() {
      stopCrlRefresh?.();
      stopCrlRefresh = null;
      await Promise.all([outbox.close(), mail.close()]);
    },
  };
  return app;
}
