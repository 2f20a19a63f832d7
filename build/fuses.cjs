// The Electron fuses Sealmail ships with (https://www.electronjs.org/docs/latest/tutorial/fuses),
// flipped in the packaged binary by after-pack.cjs. Each one closes a way to run code in Sealmail's
// name that a mail client never needs, so malware cannot borrow the signed binary and its keychain
// access: RunAsNode (ELECTRON_RUN_AS_NODE turns the app into plain Node), NODE_OPTIONS
// (--require of any file), --inspect (a debugger on the main process), and loading app code from
// outside the integrity-checked app.asar.
'use strict';

/** By name, so the test and the docs read the same table as the hook. */
const sealmailFuses = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};

module.exports = { sealmailFuses };
