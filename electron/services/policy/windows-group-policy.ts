// Windows only: the KM URL that Group Policy, or the MSI's KMURL property
// (build/installer/msi-project-created.cjs), puts in HKLM\SOFTWARE\Policies\Sealmail\KmUrl.
// HKLM\SOFTWARE\Policies is where Windows admins expect an application's policies (Outlook,
// Firefox, Chrome), and only administrators can write it. It wins over policies.json and is
// always locked. `reg query` ships with every Windows, so no native module is needed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { EffectivePolicy } from '../../../core/policy/effective-policy.js';

export const groupPolicyKey = 'HKLM\\SOFTWARE\\Policies\\Sealmail';

/** The KmUrl value in `reg query` output, or null when the output has none. */
export function kmUrlFromRegQuery(output: string): string | null {
  const line = output.split(/\r?\n/).find((text) => /^\s+KmUrl\s+REG_(?:EXPAND_)?SZ\s/i.test(text));
  const value = line?.replace(/^\s+KmUrl\s+REG_(?:EXPAND_)?SZ\s+/i, '').trim();
  return value ? value : null;
}

export type RegQuery = (key: string, value: string) => Promise<string>;

const regQuery: RegQuery = async (key, value) =>
  (await promisify(execFile)('reg', ['query', key, '/v', value], { windowsHide: true })).stdout;

/** null off Windows, or when the value is absent (reg exits non-zero then). */
export async function readGroupPolicyKmUrl(
  platform: NodeJS.Platform = process.platform,
  query: RegQuery = regQuery,
): Promise<string | null> {
  if (platform !== 'win32') return null;
  try {
    return kmUrlFromRegQuery(await query(groupPolicyKey, 'KmUrl'));
  } catch {
    return null;
  }
}

/**
 * Locks the KM URL to the Group Policy value. A value that is not an https URL is a problem, and
 * the KM becomes none-and-locked (the restrictive choice): enrollment never goes to a URL IT did
 * not mean, and never over plain HTTP.
 */
export function withGroupPolicyKmUrl(policy: EffectivePolicy, kmUrl: string | null): EffectivePolicy {
  if (kmUrl === null) return policy;
  const url = URL.canParse(kmUrl) ? new URL(kmUrl) : null;
  if (!url || url.protocol !== 'https:') {
    return {
      ...policy,
      km: { value: { url: null, caPem: policy.km.value.caPem }, locked: true },
      problems: [
        ...policy.problems,
        {
          code: 'POLICY_INVALID',
          message: `${groupPolicyKey}\\KmUrl: "${kmUrl}" is not an https:// URL; enrollment is off until it is fixed.`,
        },
      ],
    };
  }
  return { ...policy, km: { value: { url: url.href, caPem: policy.km.value.caPem }, locked: true } };
}
