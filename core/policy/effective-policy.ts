// The organisation's rules as the app applies them (issue 7, seeds 001 and 002): every setting
// carries its value and whether IT locked it. Locked settings are greyed out in Settings and
// marked "set by your organisation"; the composer and send flow obey them.
// The loader (electron/services/policy) merges the system file, the per-user defaults and these
// built-in defaults; core/ only defines the shape and evaluates the rules.
import type { ErrorInfo } from '../errors.js';

export interface Setting<T> {
  value: T;
  /** true: set by the organisation; the user cannot change it. */
  locked: boolean;
}

/** Seed 004: "high" asks for the key-file password every time, "medium" keeps it unlocked a while. */
export type SecurityProfile = { kind: 'high' } | { kind: 'medium'; cacheMinutes: number };

export type EncryptionRule =
  | { kind: 'subject-contains'; phrase: string }
  | { kind: 'body-contains'; phrase: string }
  | { kind: 'recipient-domain'; domain: string };

export interface AccountPreset {
  imap: { host: string; port: number; tls: 'tls' | 'starttls' | 'none' };
  smtp: { host: string; port: number; tls: 'tls' | 'starttls' | 'none' };
  /** "{localpart}", "{email}" or a literal with those placeholders, e.g. "CORP\\{localpart}". */
  usernamePattern: string;
}

export interface EffectivePolicy {
  km: Setting<{ url: string | null; caPem: string | null }>;
  accountPreset: Setting<AccountPreset | null>;
  signByDefault: Setting<boolean>;
  encryptByDefault: Setting<boolean>;
  /** Always enforced when present (a rule is an organisation's rule by nature). */
  encryptionRules: EncryptionRule[];
  securityProfile: Setting<SecurityProfile>;
  /** false: the send dialog offers only Remove and Cancel. */
  allowSendUnencrypted: Setting<boolean>;
  /** The whole message as sent, before encryption (seed 001: 10 MB recommended, 25 MB maximum). */
  maxMessageBytes: Setting<number>;
  maxRecipients: Setting<number>;
  /** Lower-case, without the dot: ["exe", "js"]; "*" blocks every attachment. Test names with attachmentBlocked (message-limits.ts). */
  blockedAttachmentExtensions: Setting<string[]>;
  /** 'ask': a "Load remote content" button for unencrypted mail; 'block': never. */
  remoteContent: Setting<'ask' | 'block'>;
  saveConfidentialAttachments: Setting<boolean>;
  /** Seed 003: a stale CRL warns, or fails closed. */
  staleCrl: Setting<'warn' | 'fail'>;
  /** Problems found in the policy files; each names the key and the problem. Shown in Settings. */
  problems: ErrorInfo[];
  /** The system policy file in force, or null when there is none. */
  source: string | null;
}

const unlocked = <T>(value: T): Setting<T> => ({ value, locked: false });

/** What a user gets with no policy files at all: safe, but their own to change. */
export function builtInPolicy(): EffectivePolicy {
  return {
    km: unlocked({ url: null, caPem: null }),
    accountPreset: unlocked(null),
    signByDefault: unlocked(true),
    encryptByDefault: unlocked(false),
    encryptionRules: [{ kind: 'subject-contains', phrase: 'Confidential' }],
    securityProfile: unlocked({ kind: 'medium', cacheMinutes: 10 }),
    allowSendUnencrypted: unlocked(true),
    maxMessageBytes: unlocked(25 * 1024 * 1024),
    maxRecipients: unlocked(500),
    blockedAttachmentExtensions: unlocked([]),
    remoteContent: unlocked('ask'),
    saveConfidentialAttachments: unlocked(true),
    staleCrl: unlocked('warn'),
    problems: [],
    source: null,
  };
}
