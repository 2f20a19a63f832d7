#!/bin/sh
# One-time (and idempotent) set-up of a checkout: the Debian packages the tests need, the npm
# dependencies, Electron's binary where it can be downloaded, and a build.
#   npm run setup && npm start     runs the app on a desktop
#   npm run setup && npm test      passes the tests (this is what .ci/run does)
set -eu
cd "$(dirname "$0")/.."

sh test/support/install-system-packages.sh

# Electron's postinstall downloads its binary. Where that is impossible (CI, air-gapped build
# hosts) the install must still succeed, so skip it here and fetch it separately, best effort.
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-fund --no-audit
if [ -z "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ] && [ ! -e node_modules/electron/dist ]; then
  node node_modules/electron/install.js >/dev/null 2>&1 ||
    echo "setup: Electron's binary could not be downloaded here; 'npm start' needs it, 'npm test' does not." >&2
fi

npm run build
