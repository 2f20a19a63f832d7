// Session-wide defences for the app window (ARCHITECTURE.md invariant 5): every permission
// (camera, notifications, geolocation, ...) is denied, because a mail client needs none and a
// message must not be able to ask; and every response carries the app's CSP, so even a page
// that reached the session some other way runs under it.
import type { Session } from 'electron';
import { appResponseHeaders } from './app-protocol.js';

export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  const enforced = appResponseHeaders();
  const enforcedNames = new Set(Object.keys(enforced).map((name) => name.toLowerCase()));
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {};
    // Drop any server-sent copy first: header names are case-insensitive, and two policies
    // would both apply, but a page must not be able to replace ours.
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (!enforcedNames.has(name.toLowerCase())) responseHeaders[name] = value;
    }
    for (const [name, value] of Object.entries(enforced)) responseHeaders[name] = [value];
    callback({ responseHeaders });
  });
}
