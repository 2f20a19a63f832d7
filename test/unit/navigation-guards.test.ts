// Navigation is blocked, window.open is denied, and links leave only through the safe shell
// (ARCHITECTURE.md invariant 5). Driven through a stand-in for Electron's WebContents, recording
// the listeners guardContents() installs, because no Electron binary runs here.
import { describe, expect, it } from 'vitest';
import {
  guardContents,
  type FrameNavigation,
  type GuardedContents,
  type PreventableEvent,
} from '../../electron/main/navigation.js';
import { createSafeShell } from '../../electron/main/safe-shell.js';

type Listener = (event: PreventableEvent, url?: string) => void;
/** What the window-open handler answers (Electron's WindowOpenHandlerResponse). */
type WindowOpenHandlerResponse = ReturnType<Parameters<GuardedContents['setWindowOpenHandler']>[0]>;

function standInContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => WindowOpenHandlerResponse) | null = null;
  // One recorder for every overload of WebContents.on that the guards use.
  const on = (event: string, listener: Listener): unknown => listeners.set(event, listener);
  const contents: GuardedContents = {
    on: on as GuardedContents['on'],
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
  };
  const opened: string[] = [];
  const refusals: string[] = [];
  guardContents(
    contents,
    createSafeShell({ openExternal: async (url) => void opened.push(url) }),
    (message) => refusals.push(message),
  );
  /** Fires an event the way Electron would; true when the guard prevented it. */
  const fire = (event: string, url?: string): boolean => {
    let prevented = false;
    listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  const open = (url: string): WindowOpenHandlerResponse => {
    if (!openHandler) throw new Error('no window open handler was installed');
    return openHandler({ url });
  };
  const fireFrame = (event: FrameNavigation): void =>
    (listeners.get('will-frame-navigate') as unknown as ((event: FrameNavigation) => void) | undefined)?.(
      event,
    );
  return { fire, fireFrame, open, opened, refusals };
}

describe('navigation guards', () => {
  it('refuses every navigation and redirect, even to the app itself', () => {
    const page = standInContents();
    expect(page.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(page.fire('will-navigate', 'app://sealmail/index.html')).toBe(true);
    expect(page.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(page.refusals.join('\n')).toContain('https://evil.example/');
  });

  it('lets a message frame show its srcdoc, and refuses to navigate it anywhere else', () => {
    const page = standInContents();
    const frame = (url: string, isMainFrame = false) => {
      let prevented = false;
      page.fireFrame({ url, isMainFrame, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(frame('about:srcdoc')).toBe(false);
    expect(frame('https://tracker.example/pixel')).toBe(true);
    expect(frame('app://sealmail/index.html')).toBe(true);
    expect(frame('data:text/html,<script>1</script>')).toBe(true);
    // The main frame is will-navigate's to refuse (above), so this one leaves it alone.
    expect(frame('app://sealmail/index.html', true)).toBe(false);
  });

  it('refuses a <webview>', () => {
    expect(standInContents().fire('will-attach-webview')).toBe(true);
  });

  it('denies window.open and hands an https link to the system browser instead', async () => {
    const page = standInContents();
    expect(page.open('https://example.org/a?b=c')).toEqual({ action: 'deny' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(page.opened).toEqual(['https://example.org/a?b=c']);
  });

  it('denies window.open of file:, javascript: and custom schemes without opening anything', async () => {
    const page = standInContents();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ms-msdt:/id', 'not a url']) {
      expect(page.open(url)).toEqual({ action: 'deny' });
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(page.opened).toEqual([]);
    expect(page.refusals).toHaveLength(4);
  });
});
