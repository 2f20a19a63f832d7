// The settings in IT's words: `sealmail policy check` prints them, the problems say what a broken
// setting falls back to, and the reference in docs/deploying.md shows the built-in values.
import type { EffectivePolicy, EncryptionRule } from './effective-policy.js';
import {
  MEGABYTE,
  settingDefinitions,
  settingFields,
  type SettingField,
  type SettingValue,
} from './policy-document.js';
import { EVERY_EXTENSION } from './restrictive-policy.js';

const onOff = (on: boolean): string => (on ? 'on' : 'off');

function megabytes(bytes: number): string {
  const mb = bytes / MEGABYTE;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(2)} MB`;
}

/** One setting's value in words, e.g. "10 MB", "high (password every time)". */
export function describeValue<K extends SettingField>(field: K, value: SettingValue<K>): string {
  // The switch narrows `field`, not `value`; each branch reads the value as that field's type.
  const as = <F extends SettingField>(_f: F): SettingValue<F> => value as SettingValue<F>;
  switch (field) {
    case 'km': {
      const km = as('km');
      if (km.url === null) return 'no KM server';
      return `${km.url}, ${km.caPem === null ? 'CA not pinned' : 'CA pinned'}`;
    }
    case 'accountPreset': {
      const preset = as('accountPreset');
      if (preset === null) return 'no preset';
      return (
        `IMAP ${preset.imap.host}:${preset.imap.port} (${preset.imap.tls}), ` +
        `SMTP ${preset.smtp.host}:${preset.smtp.port} (${preset.smtp.tls}), user name "${preset.usernamePattern}"`
      );
    }
    case 'signByDefault':
    case 'encryptByDefault':
    case 'allowSendUnencrypted':
    case 'saveConfidentialAttachments':
      return onOff(value as boolean);
    case 'securityProfile': {
      const profile = as('securityProfile');
      return profile.kind === 'high'
        ? 'high (password every time)'
        : `medium (key kept unlocked ${profile.cacheMinutes} min)`;
    }
    case 'maxMessageBytes':
      return megabytes(as('maxMessageBytes'));
    case 'maxRecipients':
      return String(as('maxRecipients'));
    case 'blockedAttachmentExtensions': {
      const list = as('blockedAttachmentExtensions');
      if (list.includes(EVERY_EXTENSION)) return 'every attachment';
      return list.length === 0 ? 'none' : list.map((ext) => `.${ext}`).join(' ');
    }
    case 'remoteContent':
    case 'staleCrl':
      return value as string;
  }
  return String(value);
}

export function describeRule(rule: EncryptionRule): string {
  switch (rule.kind) {
    case 'subject-contains':
      return `subject contains "${rule.phrase}"`;
    case 'body-contains':
      return `text contains "${rule.phrase}"`;
    case 'recipient-domain':
      return `a recipient is in ${rule.domain}`;
  }
}

/** Lines like "MaxMessageSizeMB: 10 MB (locked)", in the document's key order. */
export function summarisePolicy(policy: EffectivePolicy): string[] {
  const lines = settingFields.map((field) => {
    const setting = policy[field];
    const value = describeValue(field, setting.value as SettingValue<typeof field>);
    return `${settingDefinitions[field].key}: ${value} (${setting.locked ? 'locked' : 'default'})`;
  });
  const rules = policy.encryptionRules.map(describeRule);
  lines.push(`EncryptionRules: encrypt when ${rules.length === 0 ? '(no rules)' : rules.join('; or ')}`);
  return lines;
}
