// Serves the built renderer (dist/renderer) by URL path, for the app's own scheme and for the
// browser host. A request can name only files inside that directory: `..`, encoded slashes and
// absolute paths are refused, so a page can never read the user's files through it.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

export interface RendererFile {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

/** The file inside rendererDir that a URL path names, or null when it names none. */
export function rendererFilePath(rendererDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment === '')) return null;
  const root = normalize(rendererDir);
  const full = normalize(join(root, ...segments));
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/** Reads the file a URL path names; null when it is outside rendererDir or does not exist. */
export async function readRendererFile(rendererDir: string, urlPath: string): Promise<RendererFile | null> {
  const path = rendererFilePath(rendererDir, urlPath);
  if (path === null) return null;
  try {
    const body = await readFile(path);
    return { body, contentType: contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
    throw error;
  }
}
