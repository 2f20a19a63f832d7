// The app window's options, built by a pure function so a unit test can assert every hardening
// flag without Electron (ARCHITECTURE.md invariant 5). Only a type is imported from electron.
import type { BrowserWindowConstructorOptions } from 'electron';

export function appWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    title: 'Sealmail',
    // Shown on 'ready-to-show' so the user never sees an empty white window.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Spell checking sends typed words to a dictionary service on some platforms; mail may
      // be confidential (seed 000).
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}
