// The process boundaries of ARCHITECTURE.md are lint rules (eslint.config.js), so a bad import
// fails `npm test`. This runs the project's own ESLint configuration, through ESLint's
// programmatic API, on deliberately bad files placed (virtually) where they would do harm.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The rule ids and messages ESLint reports for `code` as if it were the file at `path`. */
async function lint(path: string, code: string): Promise<Array<{ ruleId: string | null; message: string }>> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` });
  if (!result) throw new Error(`ESLint returned no result for ${path}`);
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

// The first lint loads ESLint, typescript-eslint and the Svelte plugin: seconds on a busy machine,
// so the default 5 s test timeout is too tight for what is only a load, not the behaviour tested.
describe('import boundaries', { timeout: 60_000 }, () => {
  it('fails electron imported by the services (they also run in the CLI and browser host)', async () => {
    const messages = await lint(
      'electron/services/lint-probe.ts',
      "import { app } from 'electron';\nexport const name = app.getName();\n",
    );
    expect(messages).toEqual([
      {
        ruleId: 'no-restricted-imports',
        message: expect.stringContaining('Only electron/main and electron/preload'),
      },
    ]);
  });

  it('fails a Node built-in imported by core/', async () => {
    const messages = await lint(
      'core/lint-probe.ts',
      "import { readFileSync } from 'node:fs';\nexport const read = (path: string): string => readFileSync(path, 'utf8');\n",
    );
    // Both the path list and the node:* pattern name it; one report would do.
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).toEqual({
        ruleId: 'no-restricted-imports',
        message: expect.stringContaining('core/ is isomorphic'),
      });
    }
  });

  it('fails core/ importing from electron/', async () => {
    const messages = await lint(
      'core/api/lint-probe.ts',
      "import { EventBus } from '../../electron/services/event-bus.js';\nexport const bus = new EventBus();\n",
    );
    expect(messages.map((m) => m.ruleId)).toEqual(['no-restricted-imports']);
  });

  it('fails a run-time import of electron/ by the renderer', async () => {
    const messages = await lint(
      'renderer/src/lint-probe.ts',
      "import { startBrowserHost } from '../../electron/main/browser-host.js';\nexport const start = startBrowserHost;\n",
    );
    expect(messages).toEqual([
      { ruleId: 'no-restricted-imports', message: expect.stringContaining('only types from electron/') },
    ]);
  });

  it('fails electron itself imported by the renderer', async () => {
    const messages = await lint(
      'renderer/src/lint-probe.ts',
      "import { ipcRenderer } from 'electron';\nexport const ipc = ipcRenderer;\n",
    );
    expect(messages.map((m) => m.ruleId)).toEqual(['no-restricted-imports']);
  });

  it('fails shell.openExternal outside the safe shell', async () => {
    const messages = await lint(
      'electron/main/lint-probe.ts',
      "import { shell } from 'electron';\nexport const open = (url: string) => shell.openExternal(url);\n",
    );
    expect(messages).toEqual([
      { ruleId: 'no-restricted-properties', message: expect.stringContaining('safe-shell.ts') },
    ]);
  });

  it('passes files that keep to the boundaries', async () => {
    expect(
      await lint(
        'core/lint-probe.ts',
        "import { SealmailError } from './errors.js';\nexport const refuse = (): never => {\n  throw new SealmailError('INVALID_REQUEST', 'no');\n};\n",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'renderer/src/lint-probe.ts',
        "import type { SealmailBridge } from '../../electron/preload/sealmail-api.js';\nexport type Api = SealmailBridge;\n",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'electron/main/lint-probe.ts',
        "import { app } from 'electron';\nexport const name = (): string => app.getName();\n",
      ),
    ).toEqual([]);
  });
});
