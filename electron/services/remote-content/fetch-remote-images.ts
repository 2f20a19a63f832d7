// Remote images of an unencrypted message, fetched by main only after the user clicked "Load
// remote content" (issue 6). The window's CSP stays img-src 'self' data:, so the renderer never
// reaches the network itself: main fetches each image once and hands back a data: URL.
//
// A plain GET, as anonymous as it can be: no cookies, no credentials (RFC 9110 §11.6.2
// Authorization is never sent, user:pass@ in an address is refused), no Referer, a fixed
// User-Agent. Each image gets 10 s, 5 MB and at most 3 redirects; all of them together 20 MB.
import http from 'node:http';
import https from 'node:https';
import { lookup } from 'node:dns/promises';
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { RemoteImage } from '../../../core/api/types.js';

export interface RemoteImageLimits {
  timeoutMs: number;
  maxImageBytes: number;
  maxTotalBytes: number;
  maxRedirects: number;
}

export const remoteImageLimits: RemoteImageLimits = {
  timeoutMs: 10_000,
  maxImageBytes: 5 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
  maxRedirects: 3,
};

// SVG is left out on purpose: it is a document, not a picture, and can carry script and its own
// fetches (SVG 2 §15, the 'script' element and external references). Raster formats cannot.
const imageTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

class Refused extends Error {}

export interface RemoteContentServices {
  fetchImages(urls: string[]): Promise<RemoteImage[]>;
}

export function createRemoteContentServices(
  limits: RemoteImageLimits = remoteImageLimits,
): RemoteContentServices {
  return { fetchImages: (urls) => fetchRemoteImages(urls, limits) };
}

export async function fetchRemoteImages(urls: string[], limits = remoteImageLimits): Promise<RemoteImage[]> {
  const budget = { left: limits.maxTotalBytes };
  const images: RemoteImage[] = [];
  // One at a time: a message's images are few, and the total budget stays exact.
  for (const url of urls) {
    try {
      images.push({ url, dataUrl: await fetchOne(url, limits, budget), problem: null });
    } catch (error) {
      const problem =
        error instanceof Refused ? error.message : `it could not be loaded (${describe(error)})`;
      images.push({ url, dataUrl: null, problem });
    }
  }
  return images;
}

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}

async function fetchOne(url: string, limits: RemoteImageLimits, budget: { left: number }): Promise<string> {
  let address = await checkedAddress(url);
  for (let redirects = 0; ; redirects++) {
    const answer = await get(address, limits, budget);
    if (answer.kind === 'image') return answer.dataUrl;
    if (redirects >= limits.maxRedirects)
      throw new Refused(`it redirected more than ${limits.maxRedirects} times`);
    address = await checkedAddress(new URL(answer.location, address).href);
  }
}

/** Only http(s), no credentials in the address, and never a link-local host (cloud metadata). */
async function checkedAddress(text: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Refused('it is not a valid address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Refused(`only http and https addresses are loaded, not ${url.protocol}`);
  if (url.username || url.password) throw new Refused('the address carries a user name or password');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  // 169.254.0.0/16 (RFC 3927) and fe80::/10 (RFC 4291 §2.5.6) are link-local: cloud instance
  // metadata (169.254.169.254) lives there and would answer a mail's image request.
  if (addresses.some(isLinkLocal)) throw new Refused('its host is a link-local address (169.254.x.x)');
  return url;
}

// The same check again on the address the socket connects to, so a name that resolves to a
// public address for the check and to 169.254.169.254 a moment later (DNS rebinding) is refused.
const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const usable = addresses.filter((entry) => !isLinkLocal(entry.address));
    if (usable.length === 0)
      return callback(new Refused('its host is a link-local address (169.254.x.x)'), '', 0);
    if (options.all) return callback(null, usable);
    callback(null, usable[0]!.address, usable[0]!.family);
  });
};

function isLinkLocal(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  return /^169\.254\./.test(v4) || /^fe[89ab][0-9a-f]:/i.test(address);
}

type Answer = { kind: 'image'; dataUrl: string } | { kind: 'redirect'; location: string };

function get(url: URL, limits: RemoteImageLimits, budget: { left: number }): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const request = client.get(
      url,
      {
        // A fresh agent-less request: no keep-alive pool shared with anything, no cookies (node
        // keeps none), nothing but what is written here.
        agent: false,
        lookup: checkedLookup,
        headers: { accept: 'image/png,image/jpeg,image/gif,image/webp', 'user-agent': 'Sealmail' },
        timeout: limits.timeoutMs,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          resolve({ kind: 'redirect', location: response.headers.location });
          return;
        }
        const fail = (problem: string): void => {
          response.destroy();
          reject(new Refused(problem));
        };
        if (status !== 200) return fail(`the server answered ${status}`);
        const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type === 'image/svg+xml') return fail('it is an SVG image, which can carry script');
        if (!imageTypes.has(type)) return fail(`it is not an image (${type || 'no content type'})`);
        const declared = Number(response.headers['content-length'] ?? 0);
        if (declared > limits.maxImageBytes) return fail(tooLarge(limits));
        if (declared > budget.left) return fail(overBudget(limits));
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxImageBytes) return fail(tooLarge(limits));
          if (size > budget.left) return fail(overBudget(limits));
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          if (size > limits.maxImageBytes || size > budget.left) return; // already refused
          budget.left -= size;
          resolve({
            kind: 'image',
            dataUrl: `data:${type};base64,${Buffer.concat(chunks).toString('base64')}`,
          });
        });
      },
    );
    request.on('timeout', () =>
      request.destroy(new Refused(`it took longer than ${limits.timeoutMs / 1000} s`)),
    );
    request.on('error', reject);
  });
}

function overBudget(limits: RemoteImageLimits): string {
  return `the message's images together are larger than ${Math.round(limits.maxTotalBytes / 1024 / 1024)} MB`;
}

function tooLarge(limits: RemoteImageLimits): string {
  return `it is larger than ${Math.round(limits.maxImageBytes / 1024 / 1024)} MB`;
}
