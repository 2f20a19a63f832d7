// Session-wide defences: every permission request is denied, and every response carries the
// app's CSP, replacing any a response brought. Driven through a stand-in for Electron's Session.
import { describe, expect, it } from 'vitest';
import { hardenSession, type HardenableSession } from '../../electron/main/session-hardening.js';
import { contentSecurityPolicy } from '../../electron/main/content-security-policy.js';

type RequestHandler = Parameters<HardenableSession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<HardenableSession['setPermissionCheckHandler']>[0];
type HeadersHandler = Parameters<HardenableSession['webRequest']['onHeadersReceived']>[0];

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
    requestPermission(permission: string): boolean {
      let granted: boolean | undefined;
      // Only the callback matters to the handler; the other arguments are what Electron passes.
      (request as (...args: unknown[]) => void)(
        null,
        permission,
        (answer: boolean) => (granted = answer),
        {},
      );
      if (granted === undefined) throw new Error('the permission request was never answered');
      return granted;
    },
    checkPermission(permission: string): boolean {
      return (check as (...args: unknown[]) => boolean)(null, permission, 'app://sealmail', {});
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
  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal'])(
    'denies %s',
    (permission) => {
      const session = hardenedStandIn();
      expect(session.requestPermission(permission)).toBe(false);
      expect(session.checkPermission(permission)).toBe(false);
    },
  );

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
