// Where the managed policy lives (issue 7), following Firefox's policies.json conventions:
//   Linux    /etc/sealmail/policies.json
//   Windows  %ProgramData%\Sealmail\policies.json
//   macOS    /Library/Application Support/Sealmail/policies.json
// SEALMAIL_POLICY_FILE points elsewhere (tests, and IT trying a policy on one machine). The
// per-user file, defaults only, is policies.json in the Sealmail home.
import { join, posix, win32 } from 'node:path';
import type { SealmailHome } from '../home.js';

export const POLICY_FILE_VARIABLE = 'SEALMAIL_POLICY_FILE';

export function platformPolicyFile(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'win32')
    return win32.join(env['ProgramData'] ?? 'C:\\ProgramData', 'Sealmail', 'policies.json');
  if (platform === 'darwin')
    return posix.join('/Library', 'Application Support', 'Sealmail', 'policies.json');
  return posix.join('/etc', 'sealmail', 'policies.json');
}

/** The system policy file: SEALMAIL_POLICY_FILE when set, else the platform's location. */
export function systemPolicyFile(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const override = env[POLICY_FILE_VARIABLE];
  return override !== undefined && override !== '' ? override : platformPolicyFile(platform, env);
}

export function userPolicyFile(home: SealmailHome): string {
  return join(home.root, 'policies.json');
}
