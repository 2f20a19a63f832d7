// The IPC handler table: one handler for every channel of the allowlist, transport-agnostic, so
// Electron's ipcMain and the browser host serve exactly the same thing. The mapped type makes a
// missing channel a compile error. No electron import: this runs under plain Node in tests.
import type { Channel } from '../../core/api/channels.js';
import type { ValidRequestOf } from '../../core/api/schemas.js';
import type { Responses } from '../../core/api/types.js';
import type { AppServices } from '../services/app-services.js';
import type { SafeShell } from './safe-shell.js';

export type Handler<C extends Channel> = (request: ValidRequestOf<C>) => Promise<Responses[C]>;

export type HandlerTable = { [C in Channel]: Handler<C> };

/**
 * `links` opens external links: the safe shell around Electron's shell in the app, and an
 * equally checked stand-in in the browser host.
 */
export function createHandlerTable(services: AppServices, links: SafeShell): HandlerTable {
  const { accounts, folders, messages, sync, outbox, security, policy, files } = services;
  return {
    'accounts.list': () => accounts.list(),
    'accounts.add': (request) => accounts.add(request),
    'accounts.remove': async ({ accountId }) => {
      await accounts.remove(accountId);
      return null;
    },
    'accounts.test': ({ accountId }) => accounts.test(accountId),
    'folders.list': ({ accountId }) => folders.list(accountId),
    'messages.list': (request) => messages.list(request),
    'messages.fetchRaw': async (request) => ({ raw: await messages.fetchRaw(request) }),
    'messages.setFlags': async (request) => {
      await messages.setFlags(request);
      return null;
    },
    'messages.move': async (request) => {
      await messages.move(request);
      return null;
    },
    'messages.delete': async (request) => {
      await messages.delete(request);
      return null;
    },
    'sync.folder': ({ accountId, folder }) => sync.folder(accountId, folder),
    'mail.send': ({ accountId, message }) => outbox.send(accountId, message),
    'outbox.list': ({ accountId }) => outbox.list(accountId),
    'outbox.retry': ({ id }) => outbox.retry(id),
    'outbox.remove': async ({ id }) => {
      await outbox.remove(id);
      return null;
    },
    'links.openExternal': async ({ url }) => {
      await links.openExternal(url);
      return null;
    },
    'mail.compose': ({ accountId, message }) => outbox.compose(accountId, message),
    'mail.sendSealed': ({ accountId, message }) => outbox.sendSealed(accountId, message),
    'security.status': ({ accountId }) => security.status(accountId),
    'security.setDefaults': ({ accountId, sign, encrypt }) =>
      security.setDefaults(accountId, { sign, encrypt }),
    'security.setKm': ({ accountId, url, caPem }) => security.setKm(accountId, { url, caPem }),
    'keyfile.read': async ({ accountId }) => ({ bytes: await security.readKeyFile(accountId) }),
    'keyfile.save': (request) => security.saveKeyFile(request),
    'km.est': (request) => security.est(request),
    'recipients.check': ({ accountId, addresses }) => security.checkRecipients(accountId, addresses),
    'certificates.revocation': (request) => security.revocation(request),
    'certificates.harvest': async (request) => {
      await security.harvest(request);
      return null;
    },
    'files.save': (request) => files.save(request),
    'policy.get': () => policy.current(),
    'enrollment.pendingLink': async () => services.enrollmentLinks.take(),
    'remote.fetchImages': async ({ urls }) => ({ images: await services.remoteContent.fetchImages(urls) }),
  };
}
