// `sealmail policy check FILE` as IT runs it before deploying (issue 7), against the built CLI:
// the sample passes and prints the settings it puts in force; a broken file prints every problem
// with its key path and exits 1. `policy show` prints what is in force on this machine, and
// `mail send` obeys the policy's limits before any crypto work.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sealmail } from './accounts-fixture.js';

const sample = join(repoRoot, 'docs', 'sample-policies.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sealmail-policy-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

describe('sealmail policy check', () => {
  it('accepts the sample policy and prints the settings it puts in force', async () => {
    const run = await sealmail(['policy', 'check', sample]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${sample} is a valid Sealmail system policy.`);
    expect(run.stdout).toContain('  MaxMessageSizeMB: 10 MB (locked)');
    expect(run.stdout).toContain('  AllowSendUnencrypted: off (locked)');
    expect(run.stdout).toContain('  SecurityProfile: medium (key kept unlocked 10 min) (locked)');
    expect(run.stdout).toContain('  KeyManagement: https://km.example.org:8443, CA pinned (locked)');
    expect(run.stdout).toContain('EncryptionRules: encrypt when subject contains "Confidential"');
  });

  it('prints every problem of a broken policy with its key path and exits 1', async () => {
    const broken = JSON.parse(readFileSync(sample, 'utf8')) as { policies: Record<string, unknown> };
    broken.policies['MaxMessageSizeMB'] = { Value: 50, Locked: true };
    broken.policies['RemoteContent'] = { Value: 'allow', Locked: true };
    broken.policies['StaleCRL'] = { Value: 'warn', Locked: true };
    broken.policies['KeyManagement'] = { Value: { URL: 'http://km.example.org' }, Locked: true };
    const path = file('broken.json', broken);
    const run = await sealmail(['policy', 'check', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /: policies\.KeyManagement\.Value\.URL: must be an https:\/\/ URL.*no KM server, locked$/,
      ),
      expect.stringMatching(
        /: policies\.MaxMessageSizeMB\.Value: Too big: .*<=25; until it is fixed: 1 MB, locked$/,
      ),
      expect.stringMatching(/: policies\.RemoteContent\.Value: .*"ask".*until it is fixed: block, locked$/),
      expect.stringMatching(
        /: policies\.StaleCRL: unknown setting; did you mean "StaleCrl"\?.*fail, locked$/,
      ),
      `sealmail: POLICY_INVALID: ${path} has 4 problems; fix them before deploying (docs/deploying.md lists every setting).`,
    ]);
    for (const line of lines.slice(0, 4)) expect(line.startsWith(`${path}: policies.`)).toBe(true);
  });

  it('says where a JSON syntax error is', async () => {
    const path = file('syntax.json', '{\n  "policies": {\n    "MaxRecipients": { "Value": 10 },\n  }\n}\n');
    const run = await sealmail(['policy', 'check', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/: \(file\): is not valid JSON: .*\(line 4, column \d+\)/);
    expect(run.stderr).toContain('has 1 problem; fix it before deploying');
  });

  it('checks a per-user file as defaults only: "Locked" is a problem there', async () => {
    const path = file('user.json', { policies: { SignByDefault: { Value: true, Locked: true } } });
    expect((await sealmail(['policy', 'check', path])).code).toBe(0);
    const run = await sealmail(['policy', 'check', '--per-user', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${path}: policies.SignByDefault.Locked: ignored: only the system policy can lock a setting`,
    );
  });

  it('prints JSON for scripts', async () => {
    const path = file('json.json', { policies: { MaxRecipients: { Value: 0 } } });
    const run = await sealmail(['policy', 'check', '--json', path]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      valid: boolean;
      problems: Array<{ path: string; message: string }>;
      effective: { maxRecipients: { value: number; locked: boolean } };
    };
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      { path: 'policies.MaxRecipients.Value', message: expect.stringContaining('>=1') },
    ]);
    expect(report.effective.maxRecipients).toEqual({ value: 1, locked: true });
  });

  it('refuses a file that is not there with NOT_FOUND', async () => {
    const run = await sealmail(['policy', 'check', join(dir, 'missing.json')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `sealmail: NOT_FOUND: There is no policy file at ${join(dir, 'missing.json')}.\n`,
    );
  });
});

describe('sealmail policy show', () => {
  it('shows the system policy named by SEALMAIL_POLICY_FILE merged with the per-user file', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    writeFileSync(
      join(home, 'policies.json'),
      JSON.stringify({ policies: { RemoteContent: { Value: 'block' } } }),
    );
    const env = { ...process.env, SEALMAIL_POLICY_FILE: sample };
    const run = await sealmail(['--home', home, 'policy', 'show'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`System policy: ${sample}`);
    expect(run.stdout).toContain('  MaxRecipients: 100 (locked)');
  });

  it('warns about a broken system policy and shows the restrictive settings in force', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const env = { ...process.env, SEALMAIL_POLICY_FILE: file('garbage.json', 'policies') };
    const run = await sealmail(['--home', home, 'policy', 'show'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('sealmail: warning: POLICY_INVALID: ');
    expect(run.stdout).toContain('  AllowSendUnencrypted: off (locked)');
    expect(run.stdout).toContain('  BlockedAttachmentExtensions: every attachment (locked)');
  });
});

describe('sealmail mail send under the sample policy', () => {
  const send = async (extra: string[], policyFile = sample) => {
    const home = mkdtempSync(join(dir, 'home-'));
    const body = file('body.txt', 'Hello\n');
    const env = { ...process.env, SEALMAIL_POLICY_FILE: policyFile };
    return sealmail(
      [
        '--home',
        home,
        'mail',
        'send',
        '--account',
        'nobody',
        '--subject',
        'Q3',
        '--body-file',
        body,
        ...extra,
      ],
      env,
    );
  };

  it('refuses a blocked attachment type', async () => {
    const script = file('run.js', 'alert(1)\n');
    const run = await send(['--to', 'bob@example.test', '--attach', script]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^sealmail: BLOCKED_BY_POLICY: Your organisation does not allow attaching run\.js /,
    );
  });

  it('refuses a message over the size limit before any crypto work (the key file is never read)', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(9 * 1024 * 1024, 7));
    const run = await send([
      '--to',
      'bob@example.test',
      '--attach',
      big,
      '--sign',
      '--encrypt',
      '--key-file',
      join(dir, 'no-such-key-file.p12'),
      '--password-file',
      join(dir, 'no-such-password'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'sealmail: MESSAGE_TOO_LARGE: This message is about 12.3 MB; your organisation allows at most 10 MB. ' +
        'Remove or shrink attachments, or share large files another way.\n',
    );
  });

  it('refuses more recipients than the policy allows', async () => {
    const policy = file('two.json', { policies: { MaxRecipients: { Value: 2, Locked: true } } });
    const run = await send(
      ['--to', 'a@example.test', '--to', 'b@example.test', '--cc', 'c@example.test'],
      policy,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'BLOCKED_BY_POLICY: This message has 3 recipients; your organisation allows at most 2.',
    );
  });

  it('lets a message within the limits through to the next step (here: the unknown account)', async () => {
    const run = await send(['--to', 'bob@example.test']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('NOT_FOUND: there is no account named "nobody"');
  });
});
