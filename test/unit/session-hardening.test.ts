// Session-wide defences: every permission request is denied except notifications for the app's
// own page, and every response carries the app's CSP, replacing any a response brought. Driven
// through a stand-in for Electron's Session.
import { describe, expect, it } from 'vitest';
import { hardenSession, type HardenableSession } from '../../electron/main/session-hardening.js';
import { contentSecurityPolicy } from '../../electron/main/content-security-policy.js';
import { appUrl } from '../../electron/main/app-protocol.js';

type RequestHandler = Parameters<HardenableSession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<HardenableSession['setPermissionCheckHandler']>[0];
type HeadersHandler = Parameters<HardenableSession['webRequest']['onHeadersReceived']>[0];

interface Asker {
  url: string;
  isMainFrame: boolean;
}

const appPage: Asker = { url: appUrl, isMainFrame: true };

function hardenedStandIn() {
  let request: RequestHandler = null;
  let check: CheckHandler = null;
  let headers: HeadersHandler = null;
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler) => void (request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => void (check = handler),
    webRequest: { onHeadersReceived: (handler: HeadersHandler) => void (headers = handler) },
  } as HardenableSession;
  hardenSession(session);
  return {
    /** Asked by the app's own page in the window's main frame unless `from` says otherwise. */
    requestPermission(permission: string, from: Partial<Asker> = {}): boolean {
      const { url, isMainFrame } = { ...appPage, ...from };
      let granted: boolean | undefined;
      // The arguments Electron passes: web contents, permission, callback, PermissionRequest.
      (request as (...args: unknown[]) => void)(null, permission, (answer: boolean) => (granted = answer), {
        requestingUrl: url,
        isMainFrame,
      });
      if (granted === undefined) throw new Error('the permission request was never answered');
      return granted;
    },
    checkPermission(permission: string, from: Partial<Asker> = {}): boolean {
      const { url, isMainFrame } = { ...appPage, ...from };
      return (check as (...args: unknown[]) => boolean)(null, permission, 'app://sealmail', {
        requestingUrl: url,
        isMainFrame,
      });
    },
    /** A check without requestingUrl (Electron omits it when no document made the check). */
    checkOrigin(permission: string, origin: string): boolean {
      return (check as (...args: unknown[]) => boolean)(null, permission, origin, { isMainFrame: true });
    },
    receive(responseHeaders: Record<string, string[]>): Record<string, string[]> {
      let result: Record<string, string[]> | undefined;
      (headers as (...args: unknown[]) => void)(
        { responseHeaders },
        (answer: { responseHeaders: Record<string, string[]> }) => {
          result = answer.responseHeaders;
        },
      );
      if (!result) throw new Error('the headers were never answered');
      return result;
    },
  };
}

describe('session hardening', () => {
  it.each(['media', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'unknown'])(
    'denies %s, even to the app itself',
    (permission) => {
      const session = hardenedStandIn();
      expect(session.requestPermission(permission)).toBe(false);
      expect(session.checkPermission(permission)).toBe(false);
    },
  );

  it("allows notifications to the app's own page, for new-mail notices", () => {
    const session = hardenedStandIn();
    expect(session.requestPermission('notifications')).toBe(true);
    expect(session.checkPermission('notifications')).toBe(true);
  });

  it.each([
    ['a message frame', { url: 'about:srcdoc', isMainFrame: false }],
    ['a sub-frame of the app', { url: appUrl, isMainFrame: false }],
    ['another origin', { url: 'https://tracker.example/page', isMainFrame: true }],
    ['a local file', { url: 'file:///tmp/x.html', isMainFrame: true }],
  ])('refuses notifications to %s', (_who, from) => {
    const session = hardenedStandIn();
    expect(session.requestPermission('notifications', from)).toBe(false);
    expect(session.checkPermission('notifications', from)).toBe(false);
  });

  it('judges a check that names only an origin by that origin', () => {
    const session = hardenedStandIn();
    // What Electron passes for the app's page (app: is registered as a standard scheme).
    expect(session.checkOrigin('notifications', 'app://sealmail')).toBe(true);
    expect(session.checkOrigin('notifications', 'null')).toBe(false);
    expect(session.checkOrigin('notifications', 'https://tracker.example')).toBe(false);
  });

  it("replaces a response's own CSP with the app's, whatever its case, and keeps other headers", () => {
    const session = hardenedStandIn();
    const result = session.receive({
      'content-security-policy': ["script-src 'unsafe-eval' *"],
      'Content-Type': ['text/html'],
    });
    const policies = Object.entries(result).filter(
      ([name]) => name.toLowerCase() === 'content-security-policy',
    );
    expect(policies).toEqual([['Content-Security-Policy', [contentSecurityPolicy()]]]);
    expect(result['Content-Type']).toEqual(['text/html']);
    expect(result['X-Content-Type-Options']).toEqual(['nosniff']);
  });
});
