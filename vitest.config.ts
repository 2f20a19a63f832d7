// Four test projects, all part of `npm test`:
//   unit         pure logic, no servers
//   integration  real Dovecot, Postfix, gnome-keyring (and later the KM server), one stack per file
//   e2e          the renderer in Debian's Chromium through the browser host
//   interop      openssl and gpgsm on the same inputs as Sealmail
import { defineConfig } from 'vitest/config';

const slow = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...slow } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], ...slow, fileParallelism: false } },
      { test: { name: 'interop', include: ['test/interop/**/*.test.ts'], ...slow } },
    ],
  },
});
