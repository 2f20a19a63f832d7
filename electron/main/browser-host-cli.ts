// `npm run dev:browser`: the real mail engine behind the browser host, for a browser on this
// machine. Prints the one URL that opens the app (it carries the per-run secret) and runs until
// Ctrl-C.
//   node dist/electron/main/browser-host-cli.js [--home DIR] [--port N] [--renderer-dir DIR]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveHome } from '../services/home.js';
import { builtRendererDir } from './app-paths.js';
import { startBrowserHost } from './browser-host.js';
import { createAppServices } from './create-app-services.js';

function usageError(message: string): never {
  console.error(`sealmail browser host: ${message}`);
  console.error('usage: browser-host-cli [--home DIR] [--port N] [--renderer-dir DIR]');
  process.exit(2);
}

function readOptions(): { home?: string; port: number; rendererDir: string } {
  let values: { home?: string; port?: string; 'renderer-dir'?: string };
  try {
    ({ values } = parseArgs({
      options: { home: { type: 'string' }, port: { type: 'string' }, 'renderer-dir': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usageError(`--port ${values.port} is not a port number`);
  const rendererDir = values['renderer-dir'] ? resolve(values['renderer-dir']) : builtRendererDir;
  return { home: values.home, port, rendererDir };
}

async function main(): Promise<void> {
  const options = readOptions();
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    console.error(
      `sealmail browser host: there is no built renderer in ${options.rendererDir}; run \`npm run build\` first.`,
    );
    process.exit(1);
  }
  const services = createAppServices(resolveHome(options.home));
  const host = await startBrowserHost({ services, rendererDir: options.rendererDir, port: options.port });
  console.log(`Sealmail is served at ${host.url}`);
  console.log("Open that address (it carries this run's secret) in a browser on this machine. Ctrl-C stops.");
  await services
    .start()
    .catch((error: unknown) => console.error('sealmail: starting the mail services failed:', error));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    Promise.all([host.close(), services.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('sealmail browser host: stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('sealmail browser host: could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
