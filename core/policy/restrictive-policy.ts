// What an INVALID setting becomes (issue 7: "the app then starts with the most restrictive safe
// settings, never the most permissive"). Each value is at least as strict as anything a valid
// policy can say, so a typo can never loosen a rule IT meant to set:
//
//   setting                      if invalid                      why
//   KeyManagement                no KM, locked                   trust no server IT did not pin
//   AccountPreset                no preset, NOT locked           a convenience, not a restriction:
//                                                                the user types the hosts; TLS and
//                                                                the pinned KM still guard them
//   SignByDefault                on, locked
//   EncryptByDefault             on, locked                      also when EncryptionRules is invalid:
//                                                                the rule IT meant cannot be applied,
//                                                                so every message is encrypted
//   SecurityProfile              high, locked                    the password is asked every time
//   AllowSendUnencrypted         off, locked                     only Remove and Cancel
//   MaxMessageSizeMB             1 MB (the smallest allowed)
//   MaxRecipients                1 (the smallest allowed)
//   BlockedAttachmentExtensions  "*" (every attachment)
//   RemoteContent                block, locked
//   SaveConfidentialAttachments  off, locked
//   StaleCrl                     fail, locked                    seed 003: fail closed
//
// The table locks the value when the broken setting came from the system policy; a broken
// per-user default gets the same value unlocked (the user's own file cannot lock anything).
import type { SettingField, SettingValue } from './policy-document.js';
import { MEGABYTE, messageSizeLimitsMb, recipientLimits } from './policy-document.js';

/** Every attachment: what BlockedAttachmentExtensions "*" means. */
export const EVERY_EXTENSION = '*';

export const restrictiveValues: { [K in SettingField]: SettingValue<K> } = {
  km: { url: null, caPem: null },
  accountPreset: null,
  signByDefault: true,
  encryptByDefault: true,
  securityProfile: { kind: 'high' },
  allowSendUnencrypted: false,
  maxMessageBytes: messageSizeLimitsMb.smallest * MEGABYTE,
  maxRecipients: recipientLimits.smallest,
  blockedAttachmentExtensions: [EVERY_EXTENSION],
  remoteContent: 'block',
  saveConfidentialAttachments: false,
  staleCrl: 'fail',
};

/** Whether a broken system setting is locked at its restrictive value (see the table above). */
export function locksWhenInvalid(field: SettingField): boolean {
  return field !== 'accountPreset';
}
