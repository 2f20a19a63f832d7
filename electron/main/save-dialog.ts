// files.save in the Electron app: the system's save dialog, where the user picks the place (and
// confirms replacing a file, which the dialog asks). Cancelling is an answer, not an error.
import type { BrowserWindow, Dialog } from 'electron';
import { join } from 'node:path';
import type { FileServices } from '../services/app-services.js';
import { writeFileAtomic } from '../services/files/atomic-write.js';
import { fileModeFor, safeFileName } from '../services/files/save-file.js';
import { SealmailError } from '../../core/errors.js';

export function createDialogFileServices(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  downloadsFolder: string,
  window: () => BrowserWindow | null,
): FileServices {
  return {
    async save(request) {
      const options = {
        defaultPath: join(downloadsFolder, safeFileName(request.suggestedName)),
        ...(request.kind === 'key-file'
          ? { filters: [{ name: 'Key file (PKCS#12)', extensions: ['p12', 'pfx'] }] }
          : {}),
      };
      const owner = window();
      const choice = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return { saved: false, path: null };
      try {
        await writeFileAtomic(choice.filePath, request.bytes, fileModeFor(request.kind));
      } catch (error) {
        throw new SealmailError(
          'STORAGE_FAILED',
          `Cannot save ${choice.filePath}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      return { saved: true, path: choice.filePath };
    },
  };
}
