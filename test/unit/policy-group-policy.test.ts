// Windows: the MSI's KMURL property and Group Policy write HKLM\SOFTWARE\Policies\Sealmail\KmUrl;
// Sealmail locks the KM to it. `reg` itself exists only on Windows, so the query is given the
// text `reg query` prints there; the parsing and the locking are what is tested.
import { describe, expect, it } from 'vitest';
import { builtInPolicy } from '../../core/policy/effective-policy.js';
import {
  kmUrlFromRegQuery,
  readGroupPolicyKmUrl,
  withGroupPolicyKmUrl,
} from '../../electron/services/policy/windows-group-policy.js';

const regOutput =
  '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Sealmail\r\n    KmUrl    REG_SZ    https://km.example.org:8443\r\n\r\n';

describe('the KM URL from Group Policy', () => {
  it('is read from what `reg query` prints', () => {
    expect(kmUrlFromRegQuery(regOutput)).toBe('https://km.example.org:8443');
    expect(kmUrlFromRegQuery('\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Sealmail\r\n')).toBeNull();
  });

  it('is only looked for on Windows, and an absent value is no policy', async () => {
    let asked = 0;
    const query = async () => (asked++, regOutput);
    expect(await readGroupPolicyKmUrl('linux', query)).toBeNull();
    expect(asked).toBe(0);
    expect(await readGroupPolicyKmUrl('win32', query)).toBe('https://km.example.org:8443');
    const absent = async (): Promise<string> => {
      throw new Error('ERROR: The system was unable to find the specified registry key or value.');
    };
    expect(await readGroupPolicyKmUrl('win32', absent)).toBeNull();
  });

  it('locks the KM to that URL, over whatever policies.json says', () => {
    const policy = withGroupPolicyKmUrl(builtInPolicy(), 'https://km.example.org:8443');
    expect(policy.km).toEqual({ value: { url: 'https://km.example.org:8443/', caPem: null }, locked: true });
    expect(policy.problems).toEqual([]);
  });

  it('turns enrollment off, locked, when the value is not an https URL, and says why', () => {
    const policy = withGroupPolicyKmUrl(builtInPolicy(), 'http://km.example.org');
    expect(policy.km).toEqual({ value: { url: null, caPem: null }, locked: true });
    expect(policy.problems[0]?.message).toMatch(/KmUrl: "http:\/\/km.example.org" is not an https:\/\/ URL/);
  });

  it('leaves the policy alone when Group Policy sets nothing', () => {
    expect(withGroupPolicyKmUrl(builtInPolicy(), null)).toEqual(builtInPolicy());
  });
});
