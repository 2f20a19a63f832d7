// The preload of the app window. It runs sandboxed, so build/bundle-preload.js bundles it (and
// the channel allowlist it imports) into one CommonJS file with `electron` left external.
import { contextBridge, ipcRenderer } from 'electron';
import { createSealmailApi } from './sealmail-api.js';

contextBridge.exposeInMainWorld('sealmail', createSealmailApi(ipcRenderer));
