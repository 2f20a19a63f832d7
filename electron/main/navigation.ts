// Keeps every web page Sealmail creates where it was loaded (ARCHITECTURE.md invariant 5): no
// navigation away from the app, no redirects, no new windows, no <webview>. A link the user
// clicks in a message is not lost: http(s) and mailto links go to the safe shell, which opens
// them outside Sealmail. Typed against the few WebContents members used, so tests can drive it
// with a stand-in and no Electron (index.ts passes the real WebContents, so tsc checks the fit).
import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import { allowedLinkSchemes, type SafeShell } from './safe-shell.js';

export interface PreventableEvent {
  preventDefault(): void;
}

/** The part of WebContents the guards touch. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: PreventableEvent, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: FrameNavigation) => void): unknown;
  setWindowOpenHandler(handler: (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse): void;
}

/** Electron's will-frame-navigate event: the details travel on the event itself. */
export interface FrameNavigation extends PreventableEvent {
  url: string;
  isMainFrame: boolean;
}

/** What a frame inside the window may show: the message frame's srcdoc document, or nothing. */
const frameDocuments = new Set(['about:srcdoc', 'about:blank']);

export type LogRefusal = (message: string) => void;

export function guardContents(
  contents: GuardedContents,
  links: SafeShell,
  log: LogRefusal = (message) => console.warn(message),
): void {
  // The app is a single page; it never navigates itself, so any navigation is refused,
  // including one to the app's own origin (a reload of attacker-chosen state).
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`sealmail: navigation to ${url} refused`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`sealmail: redirect to ${url} refused`);
  });
  // A message frame shows its srcdoc and nothing else. Its sandbox already forbids scripts and
  // top navigation, and the renderer strips link targets; this refuses the rest (a link that
  // slipped through, a meta refresh) in main, where the page cannot interfere.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || frameDocuments.has(event.url)) return;
    event.preventDefault();
    log(`sealmail: navigation of a frame to ${event.url} refused`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('sealmail: <webview> refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isOpenableLink(url)) {
      links
        .openExternal(url)
        .catch((error: unknown) => log(`sealmail: could not open ${url}: ${String(error)}`));
    } else {
      log(`sealmail: window.open of ${url} refused`);
    }
    return { action: 'deny' };
  });
}

function isOpenableLink(url: string): boolean {
  try {
    return (allowedLinkSchemes as readonly string[]).includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
