// The document for the message frame (ARCHITECTURE.md invariant 2). Three layers, each enough on
// its own for scripts: DOMPurify removes scripts and handlers, the frame is sandbox="" (no
// scripts, a unique origin), and the frame's own CSP forbids every fetch except inline styles and
// data: and cid: images (RFC 2392: parts of the same message), so remote content (tracking
// pixels, fonts) cannot load; remote references in attributes and CSS are also taken out first
// (remote-css.ts), so no fetch is even attempted. cid: references become data: URLs of the
// message's own image parts. Links lose their href so a click cannot navigate the frame to a remote page; the
// address stays visible as a tooltip.
// "Load remote content" (issue 6, unencrypted mail only): main fetches the blocked <img> addresses
// and the page passes them back as data: URLs (`loadedImages`); only those <img src> are put back.
// Remote CSS (url(), @import) stays blocked even then: a style sheet can fetch more and leak more
// than a picture, and the user asked for images. Scripts never run in any case.
import DOMPurify from 'dompurify';
import { withoutRemoteCss } from './remote-css.js';

export const frameCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:";

export interface FrameDocument {
  srcdoc: string;
  /** How many remote images or sources were removed; shown outside the frame. */
  blockedRemote: number;
  /** The remote <img src> addresses among them, each once, for "Load remote content". */
  blockedImages: string[];
}

const purifier = DOMPurify(window);
let blockedInCurrentRun = 0;
let inlineImagesOfCurrentRun: Record<string, string> = {};
let loadedImagesOfCurrentRun: Record<string, string> = {};
let blockedImagesOfCurrentRun = new Set<string>();

const remote = /^\s*(https?:|\/\/|ftp:)/i;

// Every attribute through which an element fetches something. A link's href is not fetched, but
// a click would navigate the frame away from the message, so links lose it too (below).
const fetchingAttributes = ['src', 'srcset', 'background', 'poster', 'href', 'xlink:href', 'data', 'action'];

function cleanCss(css: string): string {
  const { css: clean, removed } = withoutRemoteCss(css, inlineImagesOfCurrentRun);
  blockedInCurrentRun += removed;
  return clean;
}

purifier.addHook('afterSanitizeElements', (node) => {
  if (node instanceof Element && node.localName === 'style' && node.textContent)
    node.textContent = cleanCss(node.textContent);
});

purifier.addHook('afterSanitizeAttributes', (node) => {
  const style = node.getAttribute('style');
  if (style !== null) node.setAttribute('style', cleanCss(style));
  // localName: SVG's <a> has a lower-case tagName.
  if (node.localName === 'a' || node.localName === 'area') {
    const href = node.getAttribute('href') ?? node.getAttribute('xlink:href');
    if (href !== null) node.setAttribute('title', href);
    node.removeAttribute('href');
    node.removeAttribute('xlink:href');
  }
  for (const attribute of fetchingAttributes) {
    const value = node.getAttribute(attribute);
    if (value === null) continue;
    const address = value.trim();
    if (address.toLowerCase().startsWith('data:')) continue;
    // RFC 2392: cid:x names the part with Content-ID <x> of this same message.
    const inline = /^cid:/i.test(address) ? inlineImagesOfCurrentRun[decodeCid(address.slice(4))] : undefined;
    if (inline !== undefined && attribute === 'src') {
      node.setAttribute(attribute, inline);
      continue;
    }
    // Only <img src>, and only as the data: URL main fetched at the user's request.
    if (node.localName === 'img' && attribute === 'src' && /^https?:/i.test(address)) {
      const loaded = Object.hasOwn(loadedImagesOfCurrentRun, address)
        ? loadedImagesOfCurrentRun[address]
        : undefined;
      if (loaded !== undefined && /^data:image\//i.test(loaded)) {
        node.setAttribute('src', loaded);
        continue;
      }
      blockedImagesOfCurrentRun.add(address);
    }
    if (remote.test(value) || attribute === 'srcset') blockedInCurrentRun++;
    node.removeAttribute(attribute);
  }
});

function decodeCid(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * `inlineImages`: data: URLs of the message's own image parts, by Content-ID (see read-message.ts).
 * `loadedImages`: data: URLs of remote images the user chose to load, by their address.
 */
export function frameDocument(
  html: string,
  inlineImages: Record<string, string> = {},
  loadedImages: Record<string, string> = {},
): FrameDocument {
  blockedInCurrentRun = 0;
  inlineImagesOfCurrentRun = inlineImages;
  loadedImagesOfCurrentRun = loadedImages;
  blockedImagesOfCurrentRun = new Set();
  const body = purifier.sanitize(html, {
    FORBID_TAGS: ['form', 'input', 'button', 'textarea', 'select', 'base', 'meta', 'link'],
  });
  const blockedRemote = blockedInCurrentRun;
  const blockedImages = [...blockedImagesOfCurrentRun];
  inlineImagesOfCurrentRun = {};
  loadedImagesOfCurrentRun = {};
  // Mail HTML is written for a white page: keep it so in the dark theme too.
  const srcdoc =
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(frameCsp)}">` +
    '<style>html{color-scheme:light;background:#fff;color:#111}body{margin:1rem;font:15px/1.5 system-ui,sans-serif;overflow-wrap:anywhere}img{max-width:100%}</style>' +
    `</head><body>${body}</body></html>`;
  return { srcdoc, blockedRemote, blockedImages };
}
