// The window and page hardening of ARCHITECTURE.md invariant 5, checked on the pure parts that
// electron/main/index.ts hands to Electron (no Electron binary can run here).
import { describe, expect, it } from 'vitest';
import { appWindowOptions } from '../../electron/main/window-options.js';
import { contentSecurityPolicy } from '../../electron/main/content-security-policy.js';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('app window options', () => {
  const options = appWindowOptions('/app/dist/electron/preload/index.cjs');
  const web = options.webPreferences ?? {};

  it('isolates and sandboxes the renderer, with no Node in any frame or worker', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses <webview>, insecure content and experimental features', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
  });

  it('loads only the given preload', () => {
    expect(web.preload).toBe('/app/dist/electron/preload/index.cjs');
  });
});

describe('content security policy of the app', () => {
  const policy = directives(contentSecurityPolicy());

  it("denies everything by default and runs only the app's own scripts", () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('has no unsafe-eval anywhere and no inline or remote scripts', () => {
    const text = contentSecurityPolicy();
    expect(text).not.toContain('unsafe-eval');
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    for (const sources of policy.values()) {
      expect(sources.some((source) => /^(https?:|\*)/.test(source))).toBe(false);
    }
  });

  it('lets the srcdoc message frame, which inherits this policy, keep its inline styles and data: images', () => {
    // A srcdoc document inherits its parent's policy, so both apply to the message: the frame's
    // own policy (renderer/src/mail/message-frame.ts) allows inline styles and data: images, so
    // this one must too, or every HTML mail would lose its layout.
    expect(policy.get('style-src')).toContain("'unsafe-inline'");
    expect(policy.get('img-src')).toContain('data:');
    expect(policy.get('frame-src')).toEqual(["'self'"]);
  });

  it("adds the browser host's own WebSocket origin to connect-src and nothing else", () => {
    const host = directives(contentSecurityPolicy({ connectSources: ['ws://127.0.0.1:5555'] }));
    expect(host.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:5555']);
    expect(host.get('script-src')).toEqual(["'self'"]);
  });
});
