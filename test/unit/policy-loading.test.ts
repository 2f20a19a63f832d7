// Loading the managed policy from disk (issue 7): the system location per OS, the
// SEALMAIL_POLICY_FILE override, the per-user file in the Sealmail home, files read afresh on
// every request, and a file that exists but cannot be read failing closed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInPolicy } from '../../core/policy/effective-policy.js';
import { MAX_POLICY_CHARS } from '../../core/policy/parse-policy.js';
import { MEGABYTE } from '../../core/policy/policy-document.js';
import { resolveHome, type SealmailHome } from '../../electron/services/home.js';
import {
  platformPolicyFile,
  systemPolicyFile,
  userPolicyFile,
} from '../../electron/services/policy/policy-locations.js';
import {
  createPolicyService,
  loadEffectivePolicy,
  policyFilesFor,
} from '../../electron/services/policy/policy-service.js';
import { samplePolicyPath } from './policy-documents.js';

let dir: string;
let home: SealmailHome;
let systemFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sealmail-policy-'));
  home = resolveHome(join(dir, 'home'));
  systemFile = join(dir, 'etc', 'policies.json');
  mkdirSync(join(dir, 'etc'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (file: string, document: unknown): void =>
  writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));

describe('where the policy lives', () => {
  it('is the documented system location on each OS', () => {
    expect(platformPolicyFile('linux', {})).toBe('/etc/sealmail/policies.json');
    expect(platformPolicyFile('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\Sealmail\\policies.json',
    );
    expect(platformPolicyFile('win32', {})).toBe('C:\\ProgramData\\Sealmail\\policies.json');
    expect(platformPolicyFile('darwin', {})).toBe('/Library/Application Support/Sealmail/policies.json');
  });

  it('is SEALMAIL_POLICY_FILE when that is set, and the per-user file is in the Sealmail home', () => {
    expect(systemPolicyFile('linux', { SEALMAIL_POLICY_FILE: '/srv/p.json' })).toBe('/srv/p.json');
    expect(systemPolicyFile('linux', { SEALMAIL_POLICY_FILE: '' })).toBe('/etc/sealmail/policies.json');
    expect(userPolicyFile(home)).toBe(join(home.root, 'policies.json'));
    expect(policyFilesFor(home, { SEALMAIL_POLICY_FILE: systemFile })).toEqual({
      system: systemFile,
      user: join(home.root, 'policies.json'),
    });
  });
});

describe('loading', () => {
  it('with neither file gives the built-in policy and no problems', async () => {
    const policy = await loadEffectivePolicy({ system: systemFile, user: userPolicyFile(home) });
    expect(policy).toEqual(builtInPolicy());
  });

  it('reads the sample from the system location: locked settings, source named', async () => {
    writeFileSync(systemFile, readFileSync(samplePolicyPath, 'utf8'));
    const policy = await createPolicyService({ system: systemFile, user: userPolicyFile(home) }).current();
    expect(policy.problems).toEqual([]);
    expect(policy.source).toBe(systemFile);
    expect(policy.maxMessageBytes).toEqual({ value: 10 * MEGABYTE, locked: true });
    expect(policy.allowSendUnencrypted).toEqual({ value: false, locked: true });
  });

  it('merges the per-user defaults under the system policy', async () => {
    write(systemFile, { policies: { MaxRecipients: { Value: 40, Locked: true } } });
    write(userPolicyFile(home), {
      policies: { MaxRecipients: { Value: 400 }, RemoteContent: { Value: 'block', Locked: true } },
    });
    const policy = await loadEffectivePolicy({ system: systemFile, user: userPolicyFile(home) });
    expect(policy.maxRecipients).toEqual({ value: 40, locked: true });
    expect(policy.remoteContent).toEqual({ value: 'block', locked: false });
    expect(policy.problems.map((p) => p.message)).toEqual([
      `${userPolicyFile(home)}: policies.RemoteContent.Locked: ignored: only the system policy can lock a setting; the per-user file sets defaults`,
    ]);
  });

  it('reads the files afresh each time, so a newly deployed policy applies without a restart', async () => {
    const service = createPolicyService({ system: systemFile, user: null });
    expect((await service.current()).staleCrl).toEqual({ value: 'warn', locked: false });
    write(systemFile, { policies: { StaleCrl: { Value: 'fail', Locked: true } } });
    expect((await service.current()).staleCrl).toEqual({ value: 'fail', locked: true });
  });

  it('fails closed when the system policy path exists but is not a readable file', async () => {
    mkdirSync(systemFile);
    const policy = await loadEffectivePolicy({ system: systemFile, user: null });
    expect(policy.problems.map((p) => p.message)).toEqual([
      `${systemFile}: (file): cannot be read (it is not a file); until it is fixed every setting uses its most restrictive value`,
    ]);
    expect(policy.allowSendUnencrypted).toEqual({ value: false, locked: true });
    expect(policy.securityProfile).toEqual({ value: { kind: 'high' }, locked: true });
  });

  it('fails closed on a file far too large to be a policy, without reading it', async () => {
    writeFileSync(systemFile, Buffer.alloc(MAX_POLICY_CHARS * 4 + 1, 0x20));
    const policy = await loadEffectivePolicy({ system: systemFile, user: null });
    expect(policy.problems[0]!.message).toContain('cannot be read (it is');
    expect(policy.remoteContent).toEqual({ value: 'block', locked: true });
  });

  it('fails closed on a system file that is not JSON, naming the file, line and column', async () => {
    write(systemFile, '{ "policies": { "MaxRecipients": { "Value": 5 } }');
    const policy = await loadEffectivePolicy({ system: systemFile, user: null });
    expect(policy.problems).toHaveLength(1);
    expect(policy.problems[0]!.message).toMatch(
      new RegExp(
        `^${systemFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\(file\\): is not valid JSON: .*line 1`,
      ),
    );
    expect(policy.maxRecipients).toEqual({ value: 1, locked: true });
  });

  it('a broken per-user file gives restrictive defaults the user may still change', async () => {
    write(userPolicyFile(home), 'not json');
    const policy = await loadEffectivePolicy({ system: systemFile, user: userPolicyFile(home) });
    expect(policy.staleCrl).toEqual({ value: 'fail', locked: false });
    expect(policy.source).toBeNull();
  });
});
