// The Electron main process, kept thin (ARCHITECTURE.md "Environment facts"): every decision is
// in a module that runs under plain Node and has its own unit test; this file only connects them
// to Electron. Order matters: the single-instance lock comes first, the app scheme must be
// registered before `ready`, and the session is hardened before the window loads anything.
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { resolveHome } from '../services/home.js';
import { appRequestHandler, appScheme } from './app-protocol.js';
import { builtPreloadFile, builtRendererDir } from './app-paths.js';
import { focusWindow, openAppWindow } from './app-window.js';
import { createAppServices, type RunningAppServices } from './create-app-services.js';
import { createHandlerTable } from './ipc-handlers.js';
import { forwardEvents, serveIpc } from './ipc-main-bridge.js';
import { createDialogFileServices } from './save-dialog.js';
import { guardContents } from './navigation.js';
import { createSafeShell } from './safe-shell.js';
import { hardenSession } from './session-hardening.js';
import { claimSingleInstance } from './single-instance.js';
import { enrollmentLinkScheme } from '../../core/enrollment/enrollment-link.js';
import { enrollmentLinkIn } from '../services/enrollment/enrollment-links.js';

let window: BrowserWindow | null = null;
let services: RunningAppServices | null = null;

if (
  claimSingleInstance(app, (argv) => {
    focusWindow(window);
    offerEnrollmentLink(enrollmentLinkIn(argv));
  })
) {
  // sealmail:// links (the welcome message's "Set up Sealmail" link) open this app. Installers
  // register the scheme too (build/installer-settings.cjs); this covers a portable start.
  app.setAsDefaultProtocolClient(enrollmentLinkScheme);
  // Every renderer sandboxed, whatever options a later change might pass (defence in depth).
  app.enableSandbox();
  // A standard, secure scheme gives the renderer a real origin that holds only dist/renderer
  // (see app-protocol.ts); `supportFetchAPI` lets module scripts load from it.
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  void app.whenReady().then(start, fail);
}

const links = createSafeShell(shell);

// A link that started the app waits in services.enrollmentLinks until the window asks for it.
let linkBeforeServices: string | null = enrollmentLinkIn(process.argv);
function offerEnrollmentLink(link: string | null): void {
  if (!link) return;
  if (services) services.enrollmentLinks.offer(link);
  else linkBeforeServices = link;
}
// macOS hands links over as an event, possibly before `ready`.
app.on('open-url', (event, url) => {
  event.preventDefault();
  offerEnrollmentLink(url);
  focusWindow(window);
});

// Any web contents Electron creates (the window, and anything a bug might open) stays put.
app.on('web-contents-created', (_event, contents) => guardContents(contents, links));

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  protocol.handle(appScheme, appRequestHandler(builtRendererDir));

  services = createAppServices(resolveHome(), {
    files: createDialogFileServices(dialog, app.getPath('downloads'), () => window),
  });
  const running = services;
  offerEnrollmentLink(linkBeforeServices);
  linkBeforeServices = null;
  serveIpc(ipcMain, createHandlerTable(running, links));
  forwardEvents(running.events, (event, payload) => {
    if (window && !window.isDestroyed()) window.webContents.send(event, payload);
  });
  await showWindow();
  // After the window, so a slow or broken outbox or server never keeps the user from the app;
  // connection problems reach the window as connection.state events.
  await running
    .start()
    .catch((error: unknown) => console.error('sealmail: starting the mail services failed:', error));

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showWindow().catch(fail);
  });
}

async function showWindow(): Promise<void> {
  window = await openAppWindow(builtPreloadFile);
  window.on('closed', () => {
    window = null;
  });
}

app.on('window-all-closed', () => {
  // macOS keeps an app without windows running until Quit; elsewhere closing the window quits.
  if (process.platform !== 'darwin') app.quit();
});

// Stop IDLE, reconnect timers and outbox delivery cleanly, so an item being sent is either
// finished or left queued on disk for the next start, never half-marked.
let closing = false;
app.on('will-quit', (event) => {
  if (closing || !services) return;
  closing = true;
  event.preventDefault();
  services
    .close()
    .catch((error: unknown) => console.error('sealmail: closing the mail services failed:', error))
    .finally(() => app.quit());
});

function fail(error: unknown): void {
  console.error('sealmail: could not start:', error);
  app.exit(1);
}
