// Child process for security-services.test.ts: one keyfile.save through the app's handler table,
// the way the window asks for it, so the test can make this process's write fail half-way.
//   node --import tsx test/integration/security-keyfile-writer.ts HOME ACCOUNT KEYFILE CERTIFICATES.json
import { readFileSync } from 'node:fs';
import { createAppServices } from '../../electron/main/create-app-services.js';
import { dispatch } from '../../electron/main/ipc-dispatch.js';
import { createHandlerTable } from '../../electron/main/ipc-handlers.js';
import { resolveHome } from '../../electron/services/home.js';

const [root, accountId, keyFile, certificatesFile] = process.argv.slice(2);
const listed = JSON.parse(readFileSync(certificatesFile, 'utf8')) as {
  certificates: string[];
  caCertificates: string[];
};
const der = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
const services = createAppServices(resolveHome(root), { log: () => undefined });
const table = createHandlerTable(services, { openExternal: async () => undefined });
const answer = await dispatch(
  table,
  'keyfile.save',
  {
    accountId,
    bytes: new Uint8Array(readFileSync(keyFile)),
    certificates: listed.certificates.map(der),
    caCertificates: listed.caCertificates.map(der),
  },
  () => undefined,
);
process.stdout.write(answer.ok ? 'saved\n' : `${answer.error.code}: ${answer.error.message}\n`);
await services.close();
