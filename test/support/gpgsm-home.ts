// A throw-away gpgsm home (GNUPGHOME) for interop tests: trusts the test PKI's root, holds one
// user's certificate and private key (imported from PKCS#12), and runs gpgsm in batch mode with
// a loopback passphrase. CRL checks are off: the test PKI publishes no CRL distribution point.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssuedCertificate, TestPki } from './openssl-pki.js';

export interface GpgsmHome {
  home: string;
  /** Runs gpgsm with these arguments (files, not stdin); returns stdout, throws with stderr. */
  gpgsm(args: string[]): Buffer;
  /** Stops the gpg-agent this home started. */
  stop(): void;
}

const PASSPHRASE = 'gpgsm-test-passphrase';

export function createGpgsmHome(pki: TestPki, user: IssuedCertificate): GpgsmHome {
  const home = join(pki.dir, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  writeFileSync(join(home, 'gpg-agent.conf'), 'allow-loopback-pinentry\n');
  writeFileSync(join(home, 'gpgsm.conf'), 'disable-crl-checks\ndisable-trusted-cert-crl-check\n');
  const fingerprint = pki
    .openssl(['x509', '-in', pki.root.certFile, '-noout', '-fingerprint', '-sha1'])
    .toString()
    .trim()
    .replace(/^.*=/, '');
  writeFileSync(join(home, 'trustlist.txt'), `${fingerprint} S relax\n`);

  const env = { ...process.env, GNUPGHOME: home };
  const run = (command: string, args: string[], input?: string | Uint8Array): Buffer => {
    try {
      return execFileSync(command, args, {
        env,
        input,
        stdio: ['pipe', 'pipe', 'pipe'],
        maxBuffer: 512 * 1024 * 1024,
      });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`${command} ${args.join(' ')} failed: ${stderr}`, { cause: error });
    }
  };
  // The passphrase (for the PKCS#12 file and the imported key) comes on stdin.
  const gpgsm = (args: string[]) =>
    run(
      'gpgsm',
      ['--batch', '--pinentry-mode', 'loopback', '--passphrase-fd', '0', ...args],
      `${PASSPHRASE}\n`,
    );

  gpgsm(['--import', pki.root.certFile]);
  // gpgsm 2.2 reads PKCS#12 with 3DES and a SHA-1 MAC reliably; that is all this needs.
  const p12 = join(pki.dir, `${user.email ?? 'user'}-gpgsm.p12`);
  pki.openssl([
    'pkcs12',
    '-export',
    '-in',
    user.certFile,
    '-inkey',
    user.keyFile,
    '-out',
    p12,
    '-passout',
    `pass:${PASSPHRASE}`,
    '-keypbe',
    'PBE-SHA1-3DES',
    '-certpbe',
    'PBE-SHA1-3DES',
    '-macalg',
    'sha1',
  ]);
  gpgsm(['--import', p12]);

  return { home, gpgsm, stop: () => void run('gpgconf', ['--kill', 'gpg-agent']) };
}
