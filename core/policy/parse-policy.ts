// Reads one policy document (issue 7) setting by setting, so that one broken setting costs only
// itself: it is marked invalid (the merge applies restrictive-policy.ts for it) and every problem
// names its key path, e.g. `policies.MaxRecipients.Value: Too big: expected number to be <=10000`.
// Pure: the loader in electron/services/policy reads the files.
import type { z } from 'zod';
import type { EncryptionRule } from './effective-policy.js';
import {
  ENCRYPTION_RULES_KEY,
  encryptionRulesSchema,
  settingDefinitions,
  settingFields,
  settingSchema,
  type SettingField,
  type SettingValue,
} from './policy-document.js';
import { describeValue } from './policy-summary.js';
import { locksWhenInvalid, restrictiveValues } from './restrictive-policy.js';

/** The system policy may lock; the per-user file sets defaults only. */
export type PolicyRole = 'system' | 'user';

export type Declared<K extends SettingField> =
  { state: 'set'; value: SettingValue<K>; locked: boolean } | { state: 'invalid' };

export interface PolicyProblem {
  /** Where in the document, e.g. "policies.KeyManagement.Value.URL"; "(file)" for the whole file. */
  path: string;
  message: string;
}

export interface PolicyReading {
  settings: { [K in SettingField]?: Declared<K> };
  encryptionRules: EncryptionRule[];
  problems: PolicyProblem[];
}

/** A policy is a few kilobytes; anything this large is not one. */
export const MAX_POLICY_CHARS = 1_000_000;

const knownKeys = [...settingFields.map((field) => settingDefinitions[field].key), ENCRYPTION_RULES_KEY];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A known key that `key` is a slip of (case, or up to two letters), so that a typo never loosens. */
function meantKey(key: string, among: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let meant: string | undefined;
  let best = 3;
  for (const known of among) {
    const distance = editDistance(lower, known.toLowerCase());
    if (distance < best) [meant, best] = [known, distance];
  }
  return meant;
}

function pathOf(base: string, path: readonly PropertyKey[]): string {
  let text = base;
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return text;
}

function fallbackOf(field: SettingField, role: PolicyRole): string {
  const locked = role === 'system' && locksWhenInvalid(field);
  return `${describeValue(field, restrictiveValues[field])}${locked ? ', locked' : ''}`;
}

function everyFieldInvalid(): PolicyReading['settings'] {
  const settings: PolicyReading['settings'] = {};
  for (const field of settingFields) settings[field] = { state: 'invalid' };
  return settings;
}

/** "Unexpected token } in JSON at position 42" → "…, line 3 column 5", for a person with an editor. */
function jsonErrorMessage(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

function wholeFileInvalid(message: string): PolicyReading {
  return {
    settings: everyFieldInvalid(),
    encryptionRules: [],
    problems: [
      {
        path: '(file)',
        message: `${message}; until it is fixed every setting uses its most restrictive value`,
      },
    ],
  };
}

export function parsePolicyText(text: string, role: PolicyRole): PolicyReading {
  if (text.length > MAX_POLICY_CHARS) {
    return wholeFileInvalid(
      `is ${text.length} characters long; a policy file has at most ${MAX_POLICY_CHARS}`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, '')); // Notepad writes a byte-order mark
  } catch (error) {
    return wholeFileInvalid(`is not valid JSON: ${jsonErrorMessage(error, text)}`);
  }
  return readPolicyDocument(document, role);
}

export function readPolicyDocument(document: unknown, role: PolicyRole): PolicyReading {
  if (!isRecord(document)) {
    return wholeFileInvalid('must be a JSON object of the form {"policies": {...}}');
  }
  const problems: PolicyProblem[] = [];
  for (const key of Object.keys(document)) {
    if (key !== 'policies' && key !== '$schema') {
      const hint = meantKey(key, ['policies']) ? ' (did you mean "policies"?)' : '';
      problems.push({ path: key, message: `unknown top-level key, ignored${hint}` });
    }
  }
  const policies = document['policies'];
  if (!isRecord(policies)) {
    const reading = wholeFileInvalid(
      policies === undefined ? 'has no "policies" object' : '"policies" must be an object',
    );
    return { ...reading, problems: [...problems, ...reading.problems] };
  }

  const settings: PolicyReading['settings'] = {};
  const invalid = (field: SettingField): void => {
    settings[field] = { state: 'invalid' };
  };
  let encryptionRules: EncryptionRule[] = [];

  for (const [key, raw] of Object.entries(policies)) {
    const path = `policies.${key}`;
    if (key === ENCRYPTION_RULES_KEY) {
      const parsed = encryptionRulesSchema.safeParse(raw);
      if (parsed.success) {
        encryptionRules = parsed.data;
        continue;
      }
      // The rule IT meant cannot be applied, so every message is encrypted instead.
      const fallback = `; until it is fixed EncryptByDefault is ${fallbackOf('encryptByDefault', role)}`;
      problems.push(...issuesOf(parsed.error, path, fallback));
      invalid('encryptByDefault');
      continue;
    }
    const field = settingFields.find((f) => settingDefinitions[f].key === key);
    if (field === undefined) {
      const meant = meantKey(key, knownKeys);
      if (meant === undefined) {
        problems.push({ path, message: 'unknown setting, ignored (see docs/deploying.md for the names)' });
        continue;
      }
      const meantField =
        meant === ENCRYPTION_RULES_KEY
          ? 'encryptByDefault'
          : settingFields.find((f) => settingDefinitions[f].key === meant)!;
      problems.push({
        path,
        message:
          `unknown setting; did you mean "${meant}"? Names are case-sensitive; until it is fixed ` +
          `${settingDefinitions[meantField].key} is ${fallbackOf(meantField, role)}`,
      });
      invalid(meantField);
      continue;
    }
    declare(settings, field, readSetting(field, raw, path, role, problems));
  }
  return { settings, encryptionRules, problems };
}

/** A slip of the same name seen earlier (marked invalid) stays invalid: never loosen. */
function declare<K extends SettingField>(
  settings: PolicyReading['settings'],
  field: K,
  declared: Declared<K>,
): void {
  // Object.assign: TypeScript cannot index a mapped type by a generic key for writing.
  if (declared.state === 'invalid' || settings[field] === undefined)
    Object.assign(settings, { [field]: declared });
}

function issuesOf(error: z.ZodError, base: string, suffix: string): PolicyProblem[] {
  return error.issues.map((issue) => ({
    path: pathOf(base, issue.path),
    message: `${issue.message}${suffix}`,
  }));
}

function readSetting<K extends SettingField>(
  field: K,
  raw: unknown,
  path: string,
  role: PolicyRole,
  problems: PolicyProblem[],
): Declared<K> {
  let candidate = raw;
  if (role === 'user' && isRecord(raw) && 'Locked' in raw) {
    const { Locked: locked, ...rest } = raw;
    candidate = rest;
    if (locked !== false) {
      problems.push({
        path: `${path}.Locked`,
        message: 'ignored: only the system policy can lock a setting; the per-user file sets defaults',
      });
    }
  }
  const parsed = settingSchema(settingDefinitions[field]).safeParse(candidate);
  if (!parsed.success) {
    problems.push(...issuesOf(parsed.error, path, `; until it is fixed: ${fallbackOf(field, role)}`));
    return { state: 'invalid' };
  }
  return { state: 'set', value: parsed.data.Value, locked: role === 'system' && parsed.data.Locked === true };
}
