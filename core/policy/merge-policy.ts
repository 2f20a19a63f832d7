// The policy in force (issue 7), setting by setting:
//   1. the system policy: a locked value, or a default;
//   2. else the per-user file: a default (it cannot lock);
//   3. else builtInPolicy().
// A setting that is invalid where it was found takes its restrictive value (restrictive-policy.ts)
// at that level: locked when the system file is broken, a default when the user's own file is.
// Encryption rules only ever add encryption, so all three levels' rules apply together.
import {
  builtInPolicy,
  type EffectivePolicy,
  type EncryptionRule,
  type Setting,
} from './effective-policy.js';
import type { ErrorInfo } from '../errors.js';
import type { Declared, PolicyReading } from './parse-policy.js';
import { settingFields, type SettingField, type SettingValue } from './policy-document.js';
import { locksWhenInvalid, restrictiveValues } from './restrictive-policy.js';

export interface PolicyFileReading {
  /** Where the file is, for the problems' messages and EffectivePolicy.source. */
  file: string;
  reading: PolicyReading;
}

function fromLevel<K extends SettingField>(
  field: K,
  declared: Declared<K>,
  level: 'system' | 'user',
): Setting<SettingValue<K>> {
  if (declared.state === 'set')
    return { value: declared.value, locked: level === 'system' && declared.locked };
  return { value: restrictiveValues[field], locked: level === 'system' && locksWhenInvalid(field) };
}

function settingInForce<K extends SettingField>(
  field: K,
  system: PolicyReading | null,
  user: PolicyReading | null,
  builtIn: EffectivePolicy,
): Setting<SettingValue<K>> {
  const fromSystem = system?.settings[field] as Declared<K> | undefined;
  if (fromSystem) return fromLevel(field, fromSystem, 'system');
  const fromUser = user?.settings[field] as Declared<K> | undefined;
  if (fromUser) return fromLevel(field, fromUser, 'user');
  return builtIn[field] as Setting<SettingValue<K>>;
}

function ruleKey(rule: EncryptionRule): string {
  switch (rule.kind) {
    case 'subject-contains':
    case 'body-contains':
      return `${rule.kind}:${rule.phrase.toLowerCase()}`;
    case 'recipient-domain':
      return `${rule.kind}:${rule.domain}`;
  }
}

function problemsOf(source: PolicyFileReading | null): ErrorInfo[] {
  if (!source) return [];
  return source.reading.problems.map((problem) => ({
    code: 'POLICY_INVALID',
    message: `${source.file}: ${problem.path}: ${problem.message}`,
  }));
}

export function mergePolicies(
  system: PolicyFileReading | null,
  user: PolicyFileReading | null,
): EffectivePolicy {
  const builtIn = builtInPolicy();
  const merged: EffectivePolicy = { ...builtIn };
  const assign = <K extends SettingField>(field: K): void => {
    (merged[field] as Setting<SettingValue<K>>) = settingInForce(
      field,
      system?.reading ?? null,
      user?.reading ?? null,
      builtIn,
    );
  };
  for (const field of settingFields) assign(field);

  const rules = new Map<string, EncryptionRule>();
  for (const rule of [
    ...builtIn.encryptionRules,
    ...(system?.reading.encryptionRules ?? []),
    ...(user?.reading.encryptionRules ?? []),
  ]) {
    if (!rules.has(ruleKey(rule))) rules.set(ruleKey(rule), rule);
  }
  merged.encryptionRules = [...rules.values()];
  merged.problems = [...problemsOf(system), ...problemsOf(user)];
  merged.source = system?.file ?? null;
  return merged;
}
