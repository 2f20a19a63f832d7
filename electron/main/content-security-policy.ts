// The one Content-Security-Policy of the app window and the browser host (ARCHITECTURE.md
// invariants 2 and 5). Everything is denied unless named: the renderer loads its own scripts,
// styles, images and fonts, and talks only to its own origin. Message frames are `srcdoc`
// iframes, so frame-src 'self' is enough; they carry their own, stricter policy.

export interface PolicyOptions {
  /** Extra origins for connect-src, e.g. the browser host's own ws:// origin. */
  connectSources?: readonly string[];
}

export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    // Svelte transitions set inline style attributes; scripts stay strict.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(options.connectSources ?? [])]],
    // The crypto worker (ARCHITECTURE.md invariant 1) is one of the app's own scripts; named
    // explicitly rather than left to the script-src fallback, and never a blob: or data: URL.
    ['worker-src', ["'self'"]],
    ['frame-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
