// "Load remote content" (issue 6): main fetches a message's remote images on the user's request.
// Against a real HTTP server on 127.0.0.1; each refusal must say why in plain words.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRemoteImages } from '../../electron/services/remote-content/fetch-remote-images.js';

// The smallest valid PNG: one transparent pixel.
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const seen: string[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    seen.push(
      `${request.url} cookie=${request.headers.cookie ?? ''} auth=${request.headers.authorization ?? ''}`,
    );
    switch (request.url) {
      case '/pixel.png':
        response.writeHead(200, { 'content-type': 'image/png' }).end(pixel);
        return;
      case '/drawing.svg':
        response
          .writeHead(200, { 'content-type': 'image/svg+xml' })
          .end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
        return;
      case '/huge.png':
        // No Content-Length: the limit must hold while reading, not only from the header.
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(Buffer.alloc(6 * 1024 * 1024));
        return;
      case '/loop':
        response.writeHead(302, { location: '/loop' }).end();
        return;
      case '/moved':
        response.writeHead(301, { location: '/pixel.png' }).end();
        return;
      case '/page.html':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<p>not a picture</p>');
        return;
      default:
        response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetching remote images', () => {
  it('gives a PNG back as a data: URL, without cookies or credentials', async () => {
    const [image] = await fetchRemoteImages([`${base}/pixel.png`]);
    expect(image).toEqual({
      url: `${base}/pixel.png`,
      dataUrl: `data:image/png;base64,${pixel.toString('base64')}`,
      problem: null,
    });
    expect(seen.at(-1)).toBe('/pixel.png cookie= auth=');
  });

  it('follows a redirect to the image', async () => {
    const [image] = await fetchRemoteImages([`${base}/moved`]);
    expect(image!.dataUrl).toMatch(/^data:image\/png;base64,/);
  });

  it('refuses SVG, which can carry script', async () => {
    const [image] = await fetchRemoteImages([`${base}/drawing.svg`]);
    expect(image).toMatchObject({ dataUrl: null, problem: 'it is an SVG image, which can carry script' });
  });

  it('refuses an image over 5 MB', async () => {
    const [image] = await fetchRemoteImages([`${base}/huge.png`]);
    expect(image).toMatchObject({ dataUrl: null, problem: 'it is larger than 5 MB' });
  });

  it('stops after 3 redirects', async () => {
    const before = seen.length;
    const [image] = await fetchRemoteImages([`${base}/loop`]);
    expect(image).toMatchObject({ dataUrl: null, problem: 'it redirected more than 3 times' });
    expect(seen.length - before).toBe(4);
  });

  it('refuses an answer that is not an image', async () => {
    const [image] = await fetchRemoteImages([`${base}/page.html`]);
    expect(image).toMatchObject({ dataUrl: null, problem: 'it is not an image (text/html)' });
  });

  it('stops when all images together pass the total limit', async () => {
    const limits = {
      timeoutMs: 10_000,
      maxImageBytes: 5 * 1024 * 1024,
      maxTotalBytes: pixel.length + 10,
      maxRedirects: 3,
    };
    const images = await fetchRemoteImages([`${base}/pixel.png`, `${base}/pixel.png`], limits);
    expect(images[0]!.problem).toBeNull();
    expect(images[1]!.problem).toMatch(/^the message's images together are larger than/);
  });

  it('never asks a link-local host (cloud metadata) or a non-http address', async () => {
    const before = seen.length;
    const images = await fetchRemoteImages([
      'http://169.254.169.254/latest/meta-data/',
      'ftp://127.0.0.1/pixel.png',
      `http://user:secret@${base.slice(7)}/pixel.png`,
    ]);
    expect(images.map((image) => image.problem)).toEqual([
      'its host is a link-local address (169.254.x.x)',
      'only http and https addresses are loaded, not ftp:',
      'the address carries a user name or password',
    ]);
    expect(seen.length).toBe(before);
  });
});
