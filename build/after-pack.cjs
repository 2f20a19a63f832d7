// electron-builder afterPack hook: flips the fuses (fuses.cjs) in the packaged Electron binary
// before it is signed, so the signature covers the flipped binary. strictlyRequireAllFuses makes
// a newer Electron with a fuse we have not decided on fail the build instead of shipping a default.
'use strict';
const { join } = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');
const { sealmailFuses } = require('./fuses.cjs');

/** The Electron binary inside the packed app, per platform (electron-builder's layout). */
function electronBinary(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`, 'Contents', 'MacOS', name);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName);
  }
}

function fuseConfig(platform) {
  const config = { version: FuseVersion.V1, strictlyRequireAllFuses: true };
  for (const [name, value] of Object.entries(sealmailFuses)) {
    if (!(name in FuseV1Options)) throw new Error(`fuses.cjs names an unknown fuse: ${name}`);
    config[FuseV1Options[name]] = value;
  }
  // macOS: flipping invalidates the ad-hoc signature; re-sign ad hoc so an unsigned build still runs.
  config.resetAdHocDarwinSignature = platform === 'darwin';
  return config;
}

async function afterPack(context) {
  await flipFuses(electronBinary(context), fuseConfig(context.electronPlatformName));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
