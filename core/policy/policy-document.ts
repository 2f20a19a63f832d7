// The managed policy document IT deploys (issue 7), in the shape Firefox's and Thunderbird's
// policies.json taught them: one object, {"policies": {...}}, one PascalCase key per setting.
//
// Convention (docs/deploying.md says the same): every setting is {"Value": ..., "Locked": bool}.
//   - "Locked": true  — the organisation's value; the user cannot change it (greyed out in
//     Settings, "set by your organisation"). Only the system policy can lock.
//   - "Locked": false or absent — a default the user may change.
// EncryptionRules is the one exception: rules are the organisation's by nature, always enforced,
// and only ever add encryption, so there is nothing to lock and no wrapper.
//
// The Value schemas transform the document's words into EffectivePolicy's values, so that the
// JSON Schema (z.toJSONSchema, io "input") describes what IT writes and the parser yields what
// the app applies.
import { z } from 'zod';
import { pemOrDer, readCertificateFacts } from '../pki/crl/certificate-facts.js';
import type { AccountPreset, EffectivePolicy, EncryptionRule, SecurityProfile } from './effective-policy.js';

/** The fields of EffectivePolicy that are settings ({value, locked}). */
export type SettingField = Exclude<keyof EffectivePolicy, 'encryptionRules' | 'problems' | 'source'>;
export type SettingValue<K extends SettingField> = EffectivePolicy[K]['value'];

/** Seed 001: 10 MB recommended, 25 MB maximum. One MB is 1,048,576 bytes here. */
export const MEGABYTE = 1024 * 1024;
export const messageSizeLimitsMb = { smallest: 1, largest: 25 } as const;
export const recipientLimits = { smallest: 1, largest: 10_000 } as const;
export const cacheMinutesLimits = { smallest: 1, largest: 480 } as const;

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname.length > 0 && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

function isCertificatePem(text: string): boolean {
  try {
    readCertificateFacts(pemOrDer(new TextEncoder().encode(text), 'CERTIFICATE', 'MALFORMED_CERTIFICATE'));
    return true;
  } catch {
    return false;
  }
}

const kmValue = z
  .strictObject({
    URL: z
      .string()
      .max(2048)
      .refine(isHttpsUrl, 'must be an https:// URL without a user name, e.g. "https://km.example.org:8443"')
      .describe('The KM server, e.g. "https://km.example.org:8443". https only.'),
    CACertificate: z
      .string()
      .max(100_000)
      .refine(
        isCertificatePem,
        'must be one PEM certificate ("-----BEGIN CERTIFICATE-----" … "-----END CERTIFICATE-----")',
      )
      .describe(
        "The KM's CA certificate, PEM, with line breaks written as \\n. Sealmail trusts the KM's TLS " +
          'certificate and the mail certificates only when they chain to it (pinning).',
      )
      .optional(),
  })
  .transform((km) => ({ url: km.URL, caPem: km.CACertificate ?? null }));

const tlsMode = z.enum(['tls', 'starttls', 'none']);
const server = z.strictObject({
  Host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an IP address'),
  Port: z.number().int().min(1).max(65535),
  TLS: tlsMode.describe('"tls" (implicit TLS), "starttls", or "none" (only for a local test server)'),
});
const usernamePattern = z
  .string()
  .min(1)
  .max(320)
  .refine(
    (pattern) => (pattern.match(/\{[^}]*\}/g) ?? []).every((p) => p === '{localpart}' || p === '{email}'),
    'may use only the placeholders {localpart} and {email}',
  )
  .describe(
    'The IMAP/SMTP user name built from the address: "{email}", "{localpart}" or e.g. "CORP\\\\{localpart}".',
  );

const accountPresetValue = z
  .strictObject({ IMAP: server, SMTP: server, UsernamePattern: usernamePattern })
  .transform((preset): AccountPreset => ({
    imap: { host: preset.IMAP.Host, port: preset.IMAP.Port, tls: preset.IMAP.TLS },
    smtp: { host: preset.SMTP.Host, port: preset.SMTP.Port, tls: preset.SMTP.TLS },
    usernamePattern: preset.UsernamePattern,
  }));

const securityProfileValue = z
  .discriminatedUnion('Level', [
    z.strictObject({ Level: z.literal('high') }),
    z.strictObject({
      Level: z.literal('medium'),
      CacheMinutes: z
        .number()
        .int()
        .min(cacheMinutesLimits.smallest)
        .max(cacheMinutesLimits.largest)
        .describe('How long the unlocked key stays usable, in minutes (1 to 480).'),
    }),
  ])
  .transform((profile): SecurityProfile =>
    profile.Level === 'high' ? { kind: 'high' } : { kind: 'medium', cacheMinutes: profile.CacheMinutes },
  );

const maxMessageSizeValue = z
  .number()
  .min(messageSizeLimitsMb.smallest)
  .max(messageSizeLimitsMb.largest)
  .transform((mb) => Math.floor(mb * MEGABYTE));

const maxRecipientsValue = z.number().int().min(recipientLimits.smallest).max(recipientLimits.largest);

const extension = z
  .string()
  .regex(
    /^(\*|\.?[A-Za-z0-9][A-Za-z0-9_+-]{0,31})$/,
    'must be a file extension such as "exe" or ".exe", or "*" for every attachment',
  );
const blockedExtensionsValue = z
  .array(extension)
  .max(500)
  .transform((list) => [...new Set(list.map((ext) => ext.replace(/^\./, '').toLowerCase()))]);

const phrase = z.string().trim().min(1, 'must not be empty').max(200);
const domain = z
  .string()
  .max(253)
  .regex(/^@?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/, {
    message: 'must be a mail domain such as "partner.example"',
  });

/** Seed 001: encrypt when the subject or body contains a phrase, or mail goes to a domain. */
export const encryptionRulesSchema = z
  .strictObject({
    SubjectContains: z.array(phrase).max(100).optional().describe('Encrypt when the subject contains any.'),
    BodyContains: z.array(phrase).max(100).optional().describe('Encrypt when the text contains any.'),
    RecipientDomains: z
      .array(domain)
      .max(1000)
      .optional()
      .describe('Encrypt when any recipient is in one of these domains.'),
  })
  .describe(
    'Rules that turn encryption on and lock it for one message. Always enforced (no Value/Locked), ' +
      'and only ever added to: the built-in rule (subject contains "Confidential") stays. ' +
      'Matching ignores case.',
  )
  .transform((rules): EncryptionRule[] => [
    ...(rules.SubjectContains ?? []).map((p): EncryptionRule => ({ kind: 'subject-contains', phrase: p })),
    ...(rules.BodyContains ?? []).map((p): EncryptionRule => ({ kind: 'body-contains', phrase: p })),
    ...(rules.RecipientDomains ?? []).map((d): EncryptionRule => ({
      kind: 'recipient-domain',
      domain: d.replace(/^@/, '').toLowerCase(),
    })),
  ]);

export interface SettingDefinition<K extends SettingField> {
  /** The key under "policies". */
  key: string;
  /** One sentence for IT, in the reference and the JSON Schema. */
  description: string;
  value: z.ZodType<SettingValue<K>>;
}

export const settingDefinitions: { [K in SettingField]: SettingDefinition<K> } = {
  km: {
    key: 'KeyManagement',
    description: 'The KM server users enroll with, and its pinned CA certificate.',
    value: kmValue,
  },
  accountPreset: {
    key: 'AccountPreset',
    description: "The organisation's IMAP and SMTP servers and how user names are formed.",
    value: accountPresetValue,
  },
  signByDefault: {
    key: 'SignByDefault',
    description: 'Whether new messages are signed (true) or not (false) by default.',
    value: z.boolean(),
  },
  encryptByDefault: {
    key: 'EncryptByDefault',
    description: 'Whether new messages are encrypted by default. Locked true: every message is encrypted.',
    value: z.boolean(),
  },
  securityProfile: {
    key: 'SecurityProfile',
    description:
      '"high": the key-file password is asked for every time; "medium": the unlocked key is kept for CacheMinutes.',
    value: securityProfileValue,
  },
  allowSendUnencrypted: {
    key: 'AllowSendUnencrypted',
    description:
      'Whether the send dialog offers "Send unencrypted" when a recipient has no usable certificate. false: only Remove and Cancel.',
    value: z.boolean(),
  },
  maxMessageBytes: {
    key: 'MaxMessageSizeMB',
    description:
      'The largest message, attachments included, before encryption, in MB (1 MB = 1,048,576 bytes): 1 to 25; 10 recommended.',
    value: maxMessageSizeValue,
  },
  maxRecipients: {
    key: 'MaxRecipients',
    description: 'The most recipients (To, Cc and Bcc together) one message may have: 1 to 10000.',
    value: maxRecipientsValue,
  },
  blockedAttachmentExtensions: {
    key: 'BlockedAttachmentExtensions',
    description:
      'File extensions that may not be attached, e.g. ["exe", "js"] (case and a leading dot do not matter); "*" blocks every attachment.',
    value: blockedExtensionsValue,
  },
  remoteContent: {
    key: 'RemoteContent',
    description:
      '"ask": unencrypted HTML mail shows a "Load remote content" button; "block": remote content is never loaded.',
    value: z.enum(['ask', 'block']),
  },
  saveConfidentialAttachments: {
    key: 'SaveConfidentialAttachments',
    description: 'Whether attachments of encrypted or Confidential mail may be saved to disk.',
    value: z.boolean(),
  },
  staleCrl: {
    key: 'StaleCrl',
    description:
      'When a CRL is past its next update and cannot be refreshed: "warn" and go on, or "fail" (treat the certificate as unusable).',
    value: z.enum(['warn', 'fail']),
  },
};

export const settingFields = Object.keys(settingDefinitions) as SettingField[];
export const ENCRYPTION_RULES_KEY = 'EncryptionRules';

const lockedSchema = z
  .boolean()
  .describe('true: users cannot change it ("set by your organisation"); false or absent: a default.');

/** The {"Value", "Locked"} wrapper of one setting. */
export function settingSchema<K extends SettingField>(definition: SettingDefinition<K>) {
  return z
    .strictObject({ Value: definition.value, Locked: lockedSchema.optional() })
    .describe(definition.description);
}

/** The whole document; the parser checks setting by setting, this is what the JSON Schema shows. */
export function policyDocumentSchema() {
  const policies: Record<string, z.ZodType> = {};
  for (const field of settingFields) {
    const definition = settingDefinitions[field];
    policies[definition.key] = settingSchema(definition).optional();
  }
  policies[ENCRYPTION_RULES_KEY] = encryptionRulesSchema.optional();
  return z
    .strictObject({
      $schema: z.string().optional().describe('Where this schema lives, for editors; ignored by Sealmail.'),
      policies: z.strictObject(policies).describe('One key per setting.'),
    })
    .meta({
      title: 'Sealmail managed policy',
      description:
        'policies.json for Sealmail (docs/deploying.md). System file: /etc/sealmail/policies.json, ' +
        '%ProgramData%\\Sealmail\\policies.json or /Library/Application Support/Sealmail/policies.json.',
    });
}
