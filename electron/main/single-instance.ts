// One Sealmail per user (issue 2). Two instances would share one outbox, one header cache and
// one set of IMAP sessions: each would deliver the same queued message and write the same
// SQLite file. The second start therefore hands over to the first, which comes to the front, and
// exits. Typed against the few `app` members used, so a test drives it with a stand-in; index.ts
// passes Electron's real `app`, so tsc checks the fit.

export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
  quit(): void;
}

/**
 * Returns true when this process is the one Sealmail; otherwise quits it and returns false.
 * `showExisting` runs in the first process each time someone starts Sealmail again, with that
 * start's command line (Windows and Linux pass a clicked sealmail:// link there).
 */
export function claimSingleInstance(
  app: SingleInstanceApp,
  showExisting: (argv: readonly string[]) => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => showExisting(argv));
  return true;
}
