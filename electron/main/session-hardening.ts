// Session-wide defences for the app window (ARCHITECTURE.md invariant 5): every permission
// (camera, geolocation, clipboard, ...) is denied, because a mail client needs none and a
// message must not be able to ask; and every response carries the app's CSP, so even a page
// that reached the session some other way runs under it. The one exception is 'notifications',
// for "Notify me of new mail" (renderer/src/notifications/), and only for the app's own page in
// the main frame: a message frame (sandboxed, no scripts) or any other origin is still refused.
import type { Session } from 'electron';
import { appResponseHeaders, isAppUrl } from './app-protocol.js';

export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

/** The only permission the app asks for, and only from its own page. */
export const allowedPermission = 'notifications';

function allowed(permission: string, url: string | undefined, isMainFrame: boolean): boolean {
  return permission === allowedPermission && isMainFrame && url !== undefined && isAppUrl(url);
}

export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl, details.isMainFrame)),
  );
  // A check (Notification.permission) names the frame's URL, or at least its origin.
  session.setPermissionCheckHandler((_contents, permission, origin, details) =>
    allowed(permission, details.requestingUrl ?? origin, details.isMainFrame),
  );
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
