// The only way Sealmail opens anything outside itself (ARCHITECTURE.md invariant 5). A link in a
// mail is attacker-controlled: `file:` runs local programs on some desktops, `javascript:` and
// `data:` script the opener, and custom schemes launch whatever registered them. So only web
// pages and new mail are handed to the operating system. ESLint bans `shell.openExternal`
// everywhere but here.
import type { Shell } from 'electron';
import { SealmailError } from '../../core/errors.js';

export const allowedLinkSchemes = ['https:', 'http:', 'mailto:'] as const;

/** Parses a link and checks its scheme; throws INVALID_REQUEST naming the scheme otherwise. */
export function checkExternalLink(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new SealmailError('INVALID_REQUEST', `Cannot open the link: "${shorten(url)}" is not a URL.`, {
      cause: error,
    });
  }
  if (!(allowedLinkSchemes as readonly string[]).includes(parsed.protocol)) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `Sealmail does not open ${parsed.protocol} links; only ${allowedLinkSchemes.join(', ')} links ` +
        'can be opened. Copy the link if you trust it.',
    );
  }
  return parsed;
}

export interface SafeShell {
  /** Opens an allowlisted link in the system's browser or mail handler. */
  openExternal(url: string): Promise<void>;
}

/** Wraps the shell (Electron's, or a stand-in in tests and the browser host). */
export function createSafeShell(shell: Pick<Shell, 'openExternal'>): SafeShell {
  return {
    async openExternal(url) {
      const link = checkExternalLink(url);
      // Hand over the normalised href, not the raw string the page gave us.
      await shell.openExternal(link.href);
    },
  };
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
