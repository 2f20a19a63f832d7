// The app is loaded from its own privileged scheme, app://sealmail/, instead of file://. A
// file:// page has an opaque origin, may read other local files in some configurations, and
// makes 'self' in the CSP mean little; a standard, secure custom scheme gives the renderer a real
// origin that contains only dist/renderer. The request handler uses the Fetch API types only,
// so it is tested under Node; index.ts registers it with protocol.handle.
import { contentSecurityPolicy } from './content-security-policy.js';
import { readRendererFile } from './renderer-files.js';

export const appScheme = 'app';
export const appHost = 'sealmail';
/** Where the window loads the app from. */
export const appUrl = `${appScheme}://${appHost}/index.html`;

/** Headers every app response carries, whatever the scheme that served it. */
export function appResponseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/** True when a URL belongs to the app (the main frame of the window, not a message frame). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}

export function appRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers = appResponseHeaders();
    const url = new URL(request.url);
    if (url.host !== appHost || request.method !== 'GET') return new Response(null, { status: 404, headers });
    const file = await readRendererFile(rendererDir, url.pathname);
    if (!file) return new Response(null, { status: 404, headers });
    return new Response(file.body, {
      status: 200,
      headers: { ...headers, 'Content-Type': file.contentType },
    });
  };
}
