// What electron-builder builds (`npm run dist`, docs/deploying.md), as a function of the
// environment so the signing choices can be tested; electron-builder.config.cjs applies it. Installers for every OS IT
// deploys to, each able to lay down the organisation's policy file (issue 7):
//   Linux   AppImage, deb, rpm   — deb/rpm install build/installer/policies.json as
//                                  /etc/sealmail/policies.json when that file exists at build time;
//   Windows NSIS (per machine, silent with /S, /POLICY=<file> copies a policy) and MSI
//           (KMURL=<url> writes the KM address as a Group-Policy-style registry value);
//   macOS   dmg, pkg             — the pkg's postinstall copies a policies.json placed next to it.
// Code signing and notarisation are driven by environment variables and skipped cleanly when they
// are absent (see signing() below). Fuses are flipped in after-pack.cjs.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const installerDir = join(__dirname, 'installer');
const bundledPolicy = join(installerDir, 'policies.json');

/**
 * macOS: CSC_LINK/CSC_NAME pick the Developer ID; without them `identity: null` builds unsigned
 * instead of failing. Notarisation runs only with APPLE_TEAM_ID and either an app-specific
 * password (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD) or an API key (APPLE_API_KEY…), which
 * electron-builder reads from the environment itself.
 * Windows: CSC_LINK/CSC_KEY_PASSWORD (or WIN_CSC_LINK) are read by electron-builder directly;
 * with none set it builds unsigned.
 */
function macSigning(env) {
  const haveIdentity = Boolean(env.CSC_LINK || env.CSC_NAME);
  return {
    identity: haveIdentity ? (env.CSC_NAME ?? undefined) : null,
    hardenedRuntime: true,
    notarize: haveIdentity && Boolean(env.APPLE_TEAM_ID),
  };
}

/** deb/rpm: fpm's "source=destination" puts the IT policy under /etc when one is provided. */
function linuxPolicyFiles() {
  return existsSync(bundledPolicy) ? [`${bundledPolicy}=/etc/sealmail/policies.json`] : [];
}

function configuration(env = process.env) {
  const mac = macSigning(env);
  return {
    appId: 'org.sealmail.desktop',
    productName: 'Sealmail',
    executableName: 'sealmail',
    copyright: 'Copyright © Sealmail',
    directories: { output: 'release', buildResources: 'build' },
    // dist/ is what `npm run build` makes; sources, tests and benches stay out of the app.
    files: ['dist/**/*', 'package.json', '!**/*.map', '!dist/test/**', '!dist/bench/**'],
    asar: true,
    // keytar and better-sqlite3 are native: rebuilt for Electron, and unpacked because a .node
    // file cannot be loaded from inside an archive.
    asarUnpack: ['**/*.node'],
    npmRebuild: true,
    afterPack: 'build/after-pack.cjs',
    msiProjectCreated: 'build/installer/msi-project-created.cjs',
    protocols: [{ name: 'Sealmail enrollment link', schemes: ['sealmail'] }],
    forceCodeSigning: false,
    linux: {
      target: ['AppImage', 'deb', 'rpm'],
      category: 'Network;Email',
      maintainer: 'Sealmail <support@sealmail.org>',
      synopsis: 'Mail client with organisation-enrolled S/MIME',
      mimeTypes: ['x-scheme-handler/sealmail', 'x-scheme-handler/mailto'],
    },
    deb: { depends: ['gnome-keyring | kwalletmanager', 'libsecret-1-0'], fpm: linuxPolicyFiles() },
    rpm: { depends: ['libsecret'], fpm: linuxPolicyFiles() },
    win: { target: ['nsis', 'msi'] },
    nsis: {
      oneClick: false,
      perMachine: true,
      allowElevation: true,
      allowToChangeInstallationDirectory: true,
      include: 'build/installer/nsis-policy.nsh',
    },
    msi: { oneClick: false, perMachine: true, upgradeCode: '6a0f4b52-6a77-4c84-8d7f-1f1c2f6b4e10' },
    mac: {
      target: ['dmg', 'pkg'],
      category: 'public.app-category.productivity',
      identity: mac.identity,
      hardenedRuntime: mac.hardenedRuntime,
      notarize: mac.notarize,
    },
    pkg: { scripts: 'build/installer/pkg-scripts', installLocation: '/Applications' },
    dmg: { sign: false },
  };
}

module.exports = { configuration };
