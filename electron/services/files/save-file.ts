// files.save for the browser host (and any run without a window to hang a dialog on): the file
// goes to <home>/downloads under the name the page suggested, made safe, and never over an
// existing file: "report.pdf", then "report (2).pdf", … The Electron app asks with the system's
// save dialog instead (electron/main/save-dialog.ts).
import { mkdir, open } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ValidRequestOf } from '../../../core/api/schemas.js';
import { SealmailError } from '../../../core/errors.js';
import type { FileServices } from '../app-services.js';
import type { SealmailHome } from '../home.js';

export function downloadsDir(home: SealmailHome): string {
  return join(home.root, 'downloads');
}

/**
 * The suggested name without any folder part, control character or character Windows forbids,
 * so a name from a message ("../../.bashrc", "CON:") cannot leave the folder or fail to save.
 */
export function safeFileName(suggested: string): string {
  const lastPart = basename(suggested.replace(/\\/g, '/'));
  const cleaned = [...lastPart]
    .map((char) =>
      char.charCodeAt(0) < 0x20 || char === '\u007f' || '<>:"/\\|?*'.includes(char) ? '_' : char,
    )
    .join('')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 200);
  return cleaned === '' ? 'download' : cleaned;
}

/** Key files are secrets even encrypted (an offline password guess needs only the file). */
export function fileModeFor(kind: ValidRequestOf<'files.save'>['kind']): number {
  return kind === 'key-file' ? 0o600 : 0o644;
}

function candidate(name: string, n: number): string {
  if (n === 1) return name;
  const extension = extname(name);
  return `${name.slice(0, name.length - extension.length)} (${n})${extension}`;
}

export function createDownloadsFileServices(home: SealmailHome): FileServices {
  return {
    async save(request) {
      const dir = downloadsDir(home);
      const name = safeFileName(request.suggestedName);
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        for (let n = 1; n < 10_000; n++) {
          const path = join(dir, candidate(name, n));
          // 'wx' creates or fails: an existing file is never overwritten, even by a race.
          const handle = await open(path, 'wx', fileModeFor(request.kind)).catch((error: unknown) => {
            if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
            throw error;
          });
          if (!handle) continue;
          try {
            await handle.writeFile(request.bytes);
            await handle.sync();
          } finally {
            await handle.close();
          }
          return { saved: true, path };
        }
      } catch (error) {
        throw new SealmailError(
          'STORAGE_FAILED',
          `Cannot save ${name} in ${dir}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      throw new SealmailError(
        'STORAGE_FAILED',
        `${dir} already holds too many files named like ${name}; clear some out and save again.`,
      );
    },
  };
}
