// Every way a policy can be wrong (issue 7): each problem names the key path and the problem, and
// the setting it breaks takes its most restrictive value, locked (restrictive-policy.ts).
import { describe, expect, it } from 'vitest';
import { builtInPolicy } from '../../core/policy/effective-policy.js';
import { parsePolicyText, MAX_POLICY_CHARS } from '../../core/policy/parse-policy.js';
import { MEGABYTE, settingFields } from '../../core/policy/policy-document.js';
import { restrictiveValues } from '../../core/policy/restrictive-policy.js';
import { effectiveOf, sampleCaPem, SYSTEM_FILE } from './policy-documents.js';

interface Case {
  name: string;
  policies: Record<string, unknown>;
  path: string;
  says: string;
  field: (typeof settingFields)[number];
}

type Server = Record<string, unknown>;

/** A valid AccountPreset with one part changed, so each case shows only what is wrong in it. */
function presetWith(change: { IMAP?: Server; SMTP?: Server; UsernamePattern?: string }): Case['policies'] {
  return {
    AccountPreset: {
      Value: {
        IMAP: { Host: 'imap.example.org', Port: 993, TLS: 'tls', ...change.IMAP },
        SMTP: { Host: 'smtp.example.org', Port: 587, TLS: 'starttls', ...change.SMTP },
        UsernamePattern: change.UsernamePattern ?? '{email}',
      },
    },
  };
}

const cases: Case[] = [
  {
    name: 'a KM URL that is not https',
    policies: { KeyManagement: { Value: { URL: 'http://km.example.org' }, Locked: true } },
    path: 'policies.KeyManagement.Value.URL',
    says: 'must be an https:// URL',
    field: 'km',
  },
  {
    name: 'a KM URL with a user name in it',
    policies: { KeyManagement: { Value: { URL: 'https://admin:pw@km.example.org' } } },
    path: 'policies.KeyManagement.Value.URL',
    says: 'without a user name',
    field: 'km',
  },
  {
    name: 'a KM CA that is not a certificate',
    policies: {
      KeyManagement: {
        Value: {
          URL: 'https://km.example.org',
          CACertificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
        },
      },
    },
    path: 'policies.KeyManagement.Value.CACertificate',
    says: 'must be one PEM certificate',
    field: 'km',
  },
  {
    name: 'a KM setting without a URL',
    policies: { KeyManagement: { Value: { CACertificate: 'x' } } },
    path: 'policies.KeyManagement.Value.URL',
    says: 'expected string',
    field: 'km',
  },
  {
    name: 'a preset port out of range',
    policies: presetWith({ IMAP: { Port: 0 } }),
    path: 'policies.AccountPreset.Value.IMAP.Port',
    says: 'Too small',
    field: 'accountPreset',
  },
  {
    name: 'a preset TLS mode that does not exist',
    policies: presetWith({ SMTP: { TLS: 'ssl' } }),
    path: 'policies.AccountPreset.Value.SMTP.TLS',
    says: '"tls"',
    field: 'accountPreset',
  },
  {
    name: 'a user-name pattern with an unknown placeholder',
    policies: presetWith({ UsernamePattern: '{user}' }),
    path: 'policies.AccountPreset.Value.UsernamePattern',
    says: '{localpart} and {email}',
    field: 'accountPreset',
  },
  {
    name: 'sign by default as a word',
    policies: { SignByDefault: { Value: 'yes', Locked: true } },
    path: 'policies.SignByDefault.Value',
    says: 'expected boolean',
    field: 'signByDefault',
  },
  {
    name: 'encrypt by default without a Value',
    policies: { EncryptByDefault: { Locked: true } },
    path: 'policies.EncryptByDefault.Value',
    says: 'expected boolean',
    field: 'encryptByDefault',
  },
  {
    name: 'an unknown security level',
    policies: { SecurityProfile: { Value: { Level: 'low' } } },
    path: 'policies.SecurityProfile.Value.Level',
    says: "'high' | 'medium'",
    field: 'securityProfile',
  },
  {
    name: 'a medium profile without minutes',
    policies: { SecurityProfile: { Value: { Level: 'medium' } } },
    path: 'policies.SecurityProfile.Value.CacheMinutes',
    says: 'expected number',
    field: 'securityProfile',
  },
  {
    name: 'a cache longer than a working day',
    policies: { SecurityProfile: { Value: { Level: 'medium', CacheMinutes: 481 } } },
    path: 'policies.SecurityProfile.Value.CacheMinutes',
    says: '<=480',
    field: 'securityProfile',
  },
  {
    name: '"Send unencrypted" given as a number',
    policies: { AllowSendUnencrypted: { Value: 0, Locked: true } },
    path: 'policies.AllowSendUnencrypted.Value',
    says: 'expected boolean',
    field: 'allowSendUnencrypted',
  },
  {
    name: 'a size limit over the 25 MB cap',
    policies: { MaxMessageSizeMB: { Value: 26, Locked: true } },
    path: 'policies.MaxMessageSizeMB.Value',
    says: '<=25',
    field: 'maxMessageBytes',
  },
  {
    name: 'a size limit under 1 MB',
    policies: { MaxMessageSizeMB: { Value: 0.5 } },
    path: 'policies.MaxMessageSizeMB.Value',
    says: '>=1',
    field: 'maxMessageBytes',
  },
  {
    name: 'a size limit written as text',
    policies: { MaxMessageSizeMB: { Value: '10' } },
    path: 'policies.MaxMessageSizeMB.Value',
    says: 'expected number',
    field: 'maxMessageBytes',
  },
  {
    name: 'zero recipients',
    policies: { MaxRecipients: { Value: 0 } },
    path: 'policies.MaxRecipients.Value',
    says: '>=1',
    field: 'maxRecipients',
  },
  {
    name: 'a fractional recipient count',
    policies: { MaxRecipients: { Value: 2.5 } },
    path: 'policies.MaxRecipients.Value',
    says: 'expected int',
    field: 'maxRecipients',
  },
  {
    name: 'blocked extensions as one string',
    policies: { BlockedAttachmentExtensions: { Value: 'exe,js', Locked: true } },
    path: 'policies.BlockedAttachmentExtensions.Value',
    says: 'expected array',
    field: 'blockedAttachmentExtensions',
  },
  {
    name: 'a blocked extension with a space',
    policies: { BlockedAttachmentExtensions: { Value: ['exe', 'j s'] } },
    path: 'policies.BlockedAttachmentExtensions.Value[1]',
    says: 'must be a file extension',
    field: 'blockedAttachmentExtensions',
  },
  {
    name: 'a remote-content mode that does not exist',
    policies: { RemoteContent: { Value: 'allow' } },
    path: 'policies.RemoteContent.Value',
    says: '"ask"',
    field: 'remoteContent',
  },
  {
    name: 'saving confidential attachments as null',
    policies: { SaveConfidentialAttachments: { Value: null } },
    path: 'policies.SaveConfidentialAttachments.Value',
    says: 'expected boolean',
    field: 'saveConfidentialAttachments',
  },
  {
    name: 'a stale-CRL mode that does not exist',
    policies: { StaleCrl: { Value: 'ignore', Locked: true } },
    path: 'policies.StaleCrl.Value',
    says: '"warn"',
    field: 'staleCrl',
  },
  {
    name: 'Locked that is not true or false',
    policies: { StaleCrl: { Value: 'warn', Locked: 'yes' } },
    path: 'policies.StaleCrl.Locked',
    says: 'expected boolean',
    field: 'staleCrl',
  },
  {
    name: 'a misspelt key inside a setting',
    policies: { RemoteContent: { Value: 'ask', Lock: true } },
    path: 'policies.RemoteContent',
    says: 'Unrecognized key: "Lock"',
    field: 'remoteContent',
  },
  {
    name: 'a bare value without the wrapper',
    policies: { MaxRecipients: 50 },
    path: 'policies.MaxRecipients',
    says: 'expected object',
    field: 'maxRecipients',
  },
  {
    name: 'an empty encryption phrase (every message is then encrypted)',
    policies: { EncryptionRules: { SubjectContains: ['  '] } },
    path: 'policies.EncryptionRules.SubjectContains[0]',
    says: 'must not be empty',
    field: 'encryptByDefault',
  },
  {
    name: 'a recipient domain that is not a domain',
    policies: { EncryptionRules: { RecipientDomains: ['partner'] } },
    path: 'policies.EncryptionRules.RecipientDomains[0]',
    says: 'must be a mail domain',
    field: 'encryptByDefault',
  },
  {
    name: 'an unknown kind of encryption rule',
    policies: { EncryptionRules: { SenderContains: ['x'] } },
    path: 'policies.EncryptionRules',
    says: 'Unrecognized key: "SenderContains"',
    field: 'encryptByDefault',
  },
  {
    name: 'a setting name in the wrong case',
    policies: { maxRecipients: { Value: 5000 } },
    path: 'policies.maxRecipients',
    says: 'did you mean "MaxRecipients"',
    field: 'maxRecipients',
  },
  {
    name: 'a setting name with a typo',
    policies: { AllowSendUnencripted: { Value: true } },
    path: 'policies.AllowSendUnencripted',
    says: 'did you mean "AllowSendUnencrypted"',
    field: 'allowSendUnencrypted',
  },
];

describe('an invalid setting', () => {
  it.each(cases)(
    '$name: names $path and falls back to the restrictive value',
    ({ policies, path, says, field }) => {
      const policy = effectiveOf({ policies });
      const problem = policy.problems.find((p) => p.message.startsWith(`${SYSTEM_FILE}: ${path}: `));
      expect(problem, policy.problems.map((p) => p.message).join('\n')).toBeDefined();
      expect(problem!.code).toBe('POLICY_INVALID');
      expect(problem!.message).toContain(says);
      expect(problem!.message).toContain('until it is fixed');
      expect(policy[field].value).toEqual(restrictiveValues[field]);
      expect(policy[field].locked).toBe(field !== 'accountPreset');
    },
  );

  it('costs only itself: the other settings of the file still apply', () => {
    const policy = effectiveOf({
      policies: { MaxRecipients: { Value: 'many' }, MaxMessageSizeMB: { Value: 10, Locked: true } },
    });
    expect(policy.maxRecipients).toEqual({ value: 1, locked: true });
    expect(policy.maxMessageBytes).toEqual({ value: 10 * MEGABYTE, locked: true });
    expect(policy.signByDefault).toEqual(builtInPolicy().signByDefault);
  });

  it('in the per-user file falls back to the restrictive value as a default, not locked', () => {
    const policy = effectiveOf(undefined, { policies: { RemoteContent: { Value: 'always' } } });
    expect(policy.remoteContent).toEqual({ value: 'block', locked: false });
    expect(policy.problems[0]!.message).toContain('policies.RemoteContent.Value');
  });

  it('reports a valid KM CA as valid (the sample certificate parses)', () => {
    const policy = effectiveOf({
      policies: { KeyManagement: { Value: { URL: 'https://km.example.org', CACertificate: sampleCaPem() } } },
    });
    expect(policy.problems).toEqual([]);
    expect(policy.km.value).toEqual({ url: 'https://km.example.org', caPem: sampleCaPem() });
  });
});

describe('an invalid file', () => {
  const everySettingRestrictive = (text: string): string[] => {
    const reading = parsePolicyText(text, 'system');
    for (const field of settingFields) expect(reading.settings[field]).toEqual({ state: 'invalid' });
    return reading.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it('that is not JSON says where the mistake is and breaks every setting', () => {
    const problems = everySettingRestrictive(
      '{\n  "policies": {\n    "MaxRecipients": { "Value": 5, }\n  }\n}\n',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\(file\): is not valid JSON: .*\(line 3, column \d+\)/);
    expect(problems[0]).toContain('every setting uses its most restrictive value');
  });

  it.each([
    ['an array', '[]', 'must be a JSON object'],
    ['null', 'null', 'must be a JSON object'],
    ['a string', '"policies"', 'must be a JSON object'],
    ['without "policies"', '{"Policies": {}}', 'has no "policies" object'],
    ['with "policies" not an object', '{"policies": []}', '"policies" must be an object'],
  ])('that is %s breaks every setting', (_name, text, says) => {
    const problems = everySettingRestrictive(text);
    expect(problems.join('\n')).toContain(says);
  });

  it('with "Policies" in the wrong case also says what was meant', () => {
    const problems = everySettingRestrictive('{"Policies": {}}');
    expect(problems).toContain('Policies: unknown top-level key, ignored (did you mean "policies"?)');
  });

  it('that is too large to be a policy breaks every setting', () => {
    const problems = everySettingRestrictive(
      `{"policies": {}, "$schema": "${'x'.repeat(MAX_POLICY_CHARS)}"}`,
    );
    expect(problems[0]).toContain(`a policy file has at most ${MAX_POLICY_CHARS}`);
  });

  it('with a byte-order mark (Notepad) is read normally', () => {
    const reading = parsePolicyText('\uFEFF{"policies": {"MaxRecipients": {"Value": 20}}}', 'system');
    expect(reading.problems).toEqual([]);
    expect(reading.settings.maxRecipients).toEqual({ state: 'set', value: 20, locked: false });
  });
});

describe('problems that change nothing', () => {
  it('an unknown setting far from any name is reported and ignored', () => {
    const policy = effectiveOf({ policies: { DisableTelemetry: { Value: true } } });
    expect(policy.problems.map((p) => p.message)).toEqual([
      `${SYSTEM_FILE}: policies.DisableTelemetry: unknown setting, ignored (see docs/deploying.md for the names)`,
    ]);
    const { problems: _p, source: _s, ...settings } = policy;
    const { problems: _bp, source: _bs, ...builtIn } = builtInPolicy();
    expect(settings).toEqual(builtIn);
  });

  it('an unknown top-level key is reported and ignored', () => {
    const policy = effectiveOf({ policies: { MaxRecipients: { Value: 20 } }, comment: 'v2' });
    expect(policy.problems.map((p) => p.message)).toEqual([
      `${SYSTEM_FILE}: comment: unknown top-level key, ignored`,
    ]);
    expect(policy.maxRecipients).toEqual({ value: 20, locked: false });
  });

  it('"Locked" in the per-user file is ignored with a problem; its value stays a default', () => {
    const policy = effectiveOf(undefined, { policies: { MaxRecipients: { Value: 20, Locked: true } } });
    expect(policy.maxRecipients).toEqual({ value: 20, locked: false });
    expect(policy.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        'policies.MaxRecipients.Locked: ignored: only the system policy can lock a setting',
      ),
    ]);
  });
});
