// The PolicyServices of the app (issue 7): reads the system policy and the per-user defaults on
// every request, so a policy IT deploys applies without a restart, and merges them with
// core/policy. It never throws: a file that exists but cannot be read counts as a broken policy,
// so it yields the restrictive settings (fail closed), with the reason among the problems.
import { readFile, stat } from 'node:fs/promises';
import type { EffectivePolicy } from '../../../core/policy/effective-policy.js';
import { mergePolicies, type PolicyFileReading } from '../../../core/policy/merge-policy.js';
import {
  MAX_POLICY_CHARS,
  parsePolicyText,
  type PolicyReading,
  type PolicyRole,
} from '../../../core/policy/parse-policy.js';
import { settingFields } from '../../../core/policy/policy-document.js';
import type { PolicyServices } from '../app-services.js';
import type { SealmailHome } from '../home.js';
import { systemPolicyFile, userPolicyFile } from './policy-locations.js';
import { readGroupPolicyKmUrl, withGroupPolicyKmUrl } from './windows-group-policy.js';

function unreadable(reason: string): PolicyReading {
  const settings: PolicyReading['settings'] = {};
  for (const field of settingFields) settings[field] = { state: 'invalid' };
  return {
    settings,
    encryptionRules: [],
    problems: [
      {
        path: '(file)',
        message: `cannot be read (${reason}); until it is fixed every setting uses its most restrictive value`,
      },
    ],
  };
}

function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** One policy file, or null when there is none (no policy is not an error). */
export async function readPolicyFile(file: string, role: PolicyRole): Promise<PolicyFileReading | null> {
  try {
    const facts = await stat(file);
    if (!facts.isFile()) return { file, reading: unreadable('it is not a file') };
    // Bytes ≥ characters in UTF-8, so a file this large cannot be a valid policy.
    if (facts.size > MAX_POLICY_CHARS * 4) return { file, reading: unreadable(`it is ${facts.size} bytes`) };
    return { file, reading: parsePolicyText(await readFile(file, 'utf8'), role) };
  } catch (error) {
    if (isAbsent(error)) return null;
    return { file, reading: unreadable((error as Error).message) };
  }
}

export interface PolicyFiles {
  /** The system policy (locks and defaults). */
  system: string;
  /** The per-user defaults, or null to ignore them. */
  user: string | null;
}

export async function loadEffectivePolicy(files: PolicyFiles): Promise<EffectivePolicy> {
  const [system, user] = await Promise.all([
    readPolicyFile(files.system, 'system'),
    files.user === null ? null : readPolicyFile(files.user, 'user'),
  ]);
  return mergePolicies(system, user);
}

/**
 * The files for this home, resolved now (SEALMAIL_POLICY_FILE is read once, when the services are
 * created; test/e2e/secure-desktop.ts relies on that to give each desktop its own policy).
 */
export function policyFilesFor(home: SealmailHome, env: NodeJS.ProcessEnv = process.env): PolicyFiles {
  return { system: systemPolicyFile(process.platform, env), user: userPolicyFile(home) };
}

export function createPolicyService(files: PolicyFiles): PolicyServices {
  return {
    current: async () => {
      const [policy, kmUrl] = await Promise.all([loadEffectivePolicy(files), readGroupPolicyKmUrl()]);
      return withGroupPolicyKmUrl(policy, kmUrl);
    },
  };
}
