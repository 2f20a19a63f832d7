// Issue 7: "An invalid policy never loosens a setting." For every setting, over generated valid
// and invalid values: the effective value of a policy whose setting is broken is at least as
// strict as the built-in value AND as what any valid, locked policy could have set, and it is
// locked (the user cannot loosen it either). AccountPreset is the documented exception
// (restrictive-policy.ts): a preset restricts nothing, so a broken one is simply absent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInPolicy, type EffectivePolicy } from '../../core/policy/effective-policy.js';
import {
  settingDefinitions,
  settingFields,
  settingSchema,
  type SettingField,
  type SettingValue,
} from '../../core/policy/policy-document.js';
import { effectiveOf, sampleCaPem } from './policy-documents.js';

type Stricter<K extends SettingField> = (a: SettingValue<K>, b: SettingValue<K>) => boolean;

/** a is at least as strict as b. */
const atLeastAsStrict: { [K in Exclude<SettingField, 'accountPreset'>]: Stricter<K> } = {
  // No KM, locked: nothing can be trusted that IT did not pin.
  km: (a, b) => a.url === null || (a.url === b.url && (b.caPem === null || a.caPem === b.caPem)),
  signByDefault: (a, b) => a || !b,
  encryptByDefault: (a, b) => a || !b,
  securityProfile: (a, b) => a.kind === 'high' || (b.kind === 'medium' && a.cacheMinutes <= b.cacheMinutes),
  allowSendUnencrypted: (a, b) => !a || b,
  maxMessageBytes: (a, b) => a <= b,
  maxRecipients: (a, b) => a <= b,
  blockedAttachmentExtensions: (a, b) => a.includes('*') || b.every((ext) => a.includes(ext)),
  remoteContent: (a, b) => a === 'block' || b === 'ask',
  saveConfidentialAttachments: (a, b) => !a || b,
  staleCrl: (a, b) => a === 'fail' || b === 'warn',
};

const server = fc.record({
  Host: fc.constantFrom('imap.example.org', '10.0.0.5', 'mail'),
  Port: fc.integer({ min: 1, max: 65535 }),
  TLS: fc.constantFrom('tls', 'starttls', 'none'),
});

/** Valid "Value"s as IT would write them, for every setting. */
const validValue: Record<SettingField, fc.Arbitrary<unknown>> = {
  km: fc.record(
    {
      URL: fc.constantFrom('https://km.example.org', 'https://km.example.org:8443/est', 'https://10.1.2.3'),
      CACertificate: fc.constant(sampleCaPem()),
    },
    { requiredKeys: ['URL'] },
  ),
  accountPreset: fc.record({
    IMAP: server,
    SMTP: server,
    UsernamePattern: fc.constantFrom('{email}', '{localpart}', 'CORP\\{localpart}'),
  }),
  signByDefault: fc.boolean(),
  encryptByDefault: fc.boolean(),
  securityProfile: fc.oneof(
    fc.constant({ Level: 'high' }),
    fc.record({ Level: fc.constant('medium'), CacheMinutes: fc.integer({ min: 1, max: 480 }) }),
  ),
  allowSendUnencrypted: fc.boolean(),
  maxMessageBytes: fc.double({ min: 1, max: 25, noNaN: true }),
  maxRecipients: fc.integer({ min: 1, max: 10_000 }),
  blockedAttachmentExtensions: fc.array(
    fc.oneof(fc.stringMatching(/^\.?[A-Za-z0-9]{1,6}$/), fc.constant('*')),
    { maxLength: 12 },
  ),
  remoteContent: fc.constantFrom('ask', 'block'),
  saveConfidentialAttachments: fc.boolean(),
  staleCrl: fc.constantFrom('warn', 'fail'),
};

/** Anything at all, and near misses (out of range, wrong case, wrong type). */
const junk = fc.oneof(
  fc.anything(),
  fc.constantFrom(0, -1, 0.5, 26, 10_001, 481, 'true', 'HIGH', 'Block', '', null, [], {}, ['j s'], 'exe'),
  fc.record({ Level: fc.constantFrom('low', 'medium', 'HIGH'), CacheMinutes: fc.constantFrom(0, 481, '10') }),
  fc.record({
    URL: fc.constantFrom('http://km.example.org', 'km.example.org', ''),
    CACertificate: fc.string(),
  }),
);

/** A setting entry ({"Value", "Locked"}) that the schema rejects, in any of the ways IT could slip. */
function brokenEntry(field: SettingField): fc.Arbitrary<unknown> {
  const rejects = (entry: unknown): boolean =>
    !settingSchema(settingDefinitions[field]).safeParse(entry).success;
  return fc
    .oneof(
      fc.record({ Value: junk, Locked: fc.boolean() }),
      fc.record({ Value: validValue[field], Locked: fc.constantFrom('yes', 1, null) }),
      fc.record({ Value: validValue[field], Lock: fc.constant(true) }),
      fc.record({ Locked: fc.constant(true) }),
      junk,
    )
    .filter(rejects);
}

/**
 * A per-user entry whose Value is wrong. "Locked" there is ignored (with a problem), not an error:
 * the user's own defaults may be looser than the built-in ones, so only a broken Value counts.
 */
function brokenUserEntry(field: SettingField): fc.Arbitrary<unknown> {
  return brokenEntry(field).filter((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return true;
    const { Locked: _ignored, ...rest } = entry as Record<string, unknown>;
    return !settingSchema(settingDefinitions[field]).safeParse(rest).success;
  });
}

/** A valid policy with every setting set and locked. */
const lockedPolicy = fc.record(
  Object.fromEntries(
    settingFields.map((field) => [
      settingDefinitions[field].key,
      validValue[field].map((Value) => ({ Value, Locked: true })),
    ]),
  ),
);

const runs = { numRuns: 150 };
const guarded = settingFields.filter(
  (field): field is keyof typeof atLeastAsStrict => field !== 'accountPreset',
);

function expectAtLeastAsStrict<K extends keyof typeof atLeastAsStrict>(
  field: K,
  broken: EffectivePolicy,
  other: EffectivePolicy,
  what: string,
): void {
  const stricter = atLeastAsStrict[field] as Stricter<K>;
  const a = broken[field].value as SettingValue<K>;
  const b = other[field].value as SettingValue<K>;
  expect(stricter(a, b), `${field}: ${JSON.stringify(a)} looser than ${what} ${JSON.stringify(b)}`).toBe(
    true,
  );
}

describe('an invalid policy never loosens a setting', () => {
  it.each(guarded)(
    '%s: broken in the system policy ⇒ at least as strict as built-in and any valid locked value, and locked',
    (field) => {
      const key = settingDefinitions[field].key;
      fc.assert(
        fc.property(lockedPolicy, brokenEntry(field), (valid, broken) => {
          const validPolicy = effectiveOf({ policies: valid });
          const brokenPolicy = effectiveOf({ policies: { ...valid, [key]: broken } });
          expect(brokenPolicy.problems.length).toBeGreaterThan(0);
          expectAtLeastAsStrict(field, brokenPolicy, builtInPolicy(), 'the built-in');
          expectAtLeastAsStrict(field, brokenPolicy, validPolicy, 'the valid locked');
          expect(brokenPolicy[field].locked).toBe(true);
        }),
        runs,
      );
    },
  );

  it.each(guarded)('%s: broken in the per-user file ⇒ at least as strict as the built-in', (field) => {
    const key = settingDefinitions[field].key;
    fc.assert(
      fc.property(brokenUserEntry(field), (broken) => {
        const policy = effectiveOf(undefined, { policies: { [key]: broken } });
        expectAtLeastAsStrict(field, policy, builtInPolicy(), 'the built-in');
      }),
      runs,
    );
  });

  it.each(guarded)('%s: a misspelt name never loosens it either', (field) => {
    const key = settingDefinitions[field].key;
    fc.assert(
      fc.property(
        lockedPolicy,
        validValue[field],
        fc.constantFrom('lower', 'drop', 'swap'),
        (valid, value, slip) => {
          const misspelt =
            slip === 'lower'
              ? key.toLowerCase()
              : slip === 'drop'
                ? key.slice(0, 3) + key.slice(4)
                : key.slice(0, 3) + key[4] + key[3] + key.slice(5);
          const { [key]: _left, ...others } = valid;
          const validPolicy = effectiveOf({ policies: valid });
          const policy = effectiveOf({ policies: { ...others, [misspelt]: { Value: value, Locked: true } } });
          expectAtLeastAsStrict(field, policy, builtInPolicy(), 'the built-in');
          expectAtLeastAsStrict(field, policy, validPolicy, 'the valid locked');
          expect(policy[field].locked).toBe(true);
        },
      ),
      runs,
    );
  });

  it('broken encryption rules encrypt every message, locked, even over a valid EncryptByDefault false', () => {
    fc.assert(
      fc.property(
        lockedPolicy,
        junk.filter((rules) => rules !== undefined),
        (valid, rules) => {
          fc.pre(!('EncryptionRules' in valid));
          const policy = effectiveOf({
            policies: { ...valid, EncryptByDefault: { Value: false, Locked: true }, EncryptionRules: rules },
          });
          fc.pre(policy.problems.length > 0);
          expect(policy.encryptByDefault).toEqual({ value: true, locked: true });
          expect(policy.encryptionRules).toEqual(expect.arrayContaining(builtInPolicy().encryptionRules));
        },
      ),
      runs,
    );
  });

  it('a broken account preset is no preset and not locked (the documented exception)', () => {
    fc.assert(
      fc.property(brokenEntry('accountPreset'), (broken) => {
        const policy = effectiveOf({ policies: { AccountPreset: broken } });
        expect(policy.accountPreset).toEqual({ value: null, locked: false });
      }),
      runs,
    );
  });

  it('a file that is not a policy at all locks every guarded setting at least as strict as any valid one', () => {
    fc.assert(
      fc.property(lockedPolicy, junk, (valid, document) => {
        // undefined stands for "no file" in effectiveOf; JSON cannot say it.
        fc.pre(
          document !== undefined &&
            !(typeof document === 'object' && document !== null && 'policies' in document),
        );
        const validPolicy = effectiveOf({ policies: valid });
        const policy = effectiveOf(document);
        for (const field of guarded) {
          expectAtLeastAsStrict(field, policy, validPolicy, 'the valid locked');
          expect(policy[field].locked).toBe(true);
        }
      }),
      runs,
    );
  });
});
