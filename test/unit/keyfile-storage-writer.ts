// Child process for keyfile-storage.test.ts: saves the bytes of one file as the key file at
// another path through Sealmail's key-file storage, the way the app does, so the test can make
// that process fail or die in the middle of the write.
//   node --import tsx test/unit/keyfile-storage-writer.ts TARGET SOURCE
import { readFileSync } from 'node:fs';
import { toErrorInfo } from '../../core/errors.js';
import { saveKeyFileBytes } from '../../electron/services/keyfile-storage.js';

const [target, source] = process.argv.slice(2);
try {
  await saveKeyFileBytes(target, new Uint8Array(readFileSync(source)));
  process.stdout.write('saved\n');
} catch (error) {
  const info = toErrorInfo(error);
  process.stderr.write(`${info.code}: ${info.message}\n`);
  process.exitCode = 1;
}
