// Starts a real Dovecot + Postfix for one test file (see mailstack.sh) on free loopback ports,
// with the users alice, bob and carol @example.test (passwords "<name>-pass").
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePorts } from './ports.js';

const run = promisify(execFile);
const script = join(dirname(fileURLToPath(import.meta.url)), 'mailstack.sh');

export type MailUser = 'alice' | 'bob' | 'carol';

export interface MailStack {
  dir: string;
  domain: string;
  /** PEM of the self-signed certificate both servers present (CN=localhost). */
  caPem: string;
  caFile: string;
  ports: { imap: number; imaps: number; smtp: number; submission: number; smtps: number };
  email(user: MailUser): string;
  password(user: MailUser): string;
  stopPostfix(): Promise<void>;
  startPostfix(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMailStack(): Promise<MailStack> {
  // Dovecot's unix sockets live under DIR: keep the path short (limit 107 bytes).
  const dir = mkdtempSync(join(process.env.SEALMAIL_TEST_TMP ?? tmpdir(), 'ms-'));
  chmodSync(dir, 0o755);
  const [imap, imaps, lmtp, auth, smtp, submission, smtps] = await freePorts(7);
  const env = {
    ...process.env,
    IMAP_PORT: String(imap),
    IMAPS_PORT: String(imaps),
    LMTP_PORT: String(lmtp),
    AUTH_PORT: String(auth),
    SMTP_PORT: String(smtp),
    SUBMISSION_PORT: String(submission),
    SMTPS_PORT: String(smtps),
  };
  const call = async (command: string) => {
    await run(script, [command, dir], { env });
  };
  await call('start');
  const caFile = join(dir, 'tls', 'cert.pem');
  let stopped = false;
  return {
    dir,
    domain: 'example.test',
    caPem: readFileSync(caFile, 'utf8'),
    caFile,
    ports: { imap: imap!, imaps: imaps!, smtp: smtp!, submission: submission!, smtps: smtps! },
    email: (user) => `${user}@example.test`,
    password: (user) => `${user}-pass`,
    stopPostfix: () => call('postfix-stop'),
    startPostfix: () => call('postfix-start'),
    async stop() {
      if (stopped) return;
      stopped = true;
      await call('stop');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
