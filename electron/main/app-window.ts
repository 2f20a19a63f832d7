// Creates the app window with the hardened options of window-options.ts and loads the app from
// its own scheme.
import { BrowserWindow } from 'electron';
import { appUrl } from './app-protocol.js';
import { appWindowOptions } from './window-options.js';

export async function openAppWindow(preloadPath: string): Promise<BrowserWindow> {
  const window = new BrowserWindow(appWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(appUrl);
  return window;
}

/** Brings the window to the front, e.g. when the user starts Sealmail a second time. */
export function focusWindow(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
