// Issue 3 "Size": on the same 1, 10 and 25 MB messages, made in this run, send (sign with the
// sender's key, encrypt to two recipients and the sender) and open (decrypt and verify) by
// Sealmail's CLI (`node bin/sealmail.js seal|open`, built by `npx tsc -b`) and by `openssl cms`
// (sign then encrypt; decrypt then verify, two processes whose times add up).
// Each process runs under GNU time, so peak RSS is that process's alone; each measurement is
// repeated and the median taken, because the machine is shared.
// Targets at 25 MB: open ≤ 1.0× OpenSSL's wall time, seal ≤ 1.5×, peak memory ≤ 4× the message.
//   npx tsc -b && npx tsx bench/smime.ts [megabytes ...]      (default: 1 10 25)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createTestPki, type IssuedCertificate } from '../test/support/openssl-pki.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repoRoot, 'bin', 'sealmail.js');
const RUNS = Number(process.env.SEALMAIL_BENCH_RUNS ?? 5);
const MiB = 1024 * 1024;

interface Measured {
  wallMs: number;
  cpuMs: number;
  peakMiB: number;
}

/** Runs one command under GNU time: wall time spawn to exit, user+system CPU, peak RSS. */
function measure(command: string, args: string[], cwd: string): Measured {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
    // `sealmail open` saves harvested certificates in its home: a scratch one, not the user's.
    env: { ...process.env, SEALMAIL_HOME: join(cwd, 'sealmail-home') },
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  const [peakKiB, user, system] = lines[lines.length - 1]!.split(' ').map(Number);
  return { wallMs, cpuMs: (user! + system!) * 1000, peakMiB: peakKiB! / 1024 };
}

/** Steps run one after another make one operation: times add up, the peak is the larger one. */
function sequence(steps: Measured[]): Measured {
  return {
    wallMs: steps.reduce((sum, step) => sum + step.wallMs, 0),
    cpuMs: steps.reduce((sum, step) => sum + step.cpuMs, 0),
    peakMiB: Math.max(...steps.map((step) => step.peakMiB)),
  };
}

function median(runs: Measured[]): Measured {
  const mid = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
  };
  return {
    wallMs: mid(runs.map((run) => run.wallMs)),
    cpuMs: mid(runs.map((run) => run.cpuMs)),
    peakMiB: mid(runs.map((run) => run.peakMiB)),
  };
}

/** Just under `megabytes` MiB: headers and base64 lines of random data, as a large attachment is. */
function largeMessage(megabytes: number): Uint8Array {
  const head =
    'From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>, Carol <carol@example.test>\r\n' +
    `Subject: ${megabytes} MB\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n` +
    'Content-Type: application/octet-stream; name="big.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n';
  const raw = new Uint8Array(Math.floor(((megabytes * MiB - 4096) / 78) * 57));
  for (let i = 0; i < raw.length; i += 65536) {
    crypto.getRandomValues(raw.subarray(i, Math.min(raw.length, i + 65536)));
  }
  const body = Buffer.from(raw).toString('base64').replace(/.{76}/g, '$&\r\n');
  return new Uint8Array(Buffer.from(head + body));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function main(): void {
  if (!existsSync(join(repoRoot, 'dist', 'electron', 'cli', 'index.js'))) {
    console.error('bench/smime.ts runs the built CLI: run `npx tsc -b` (or `npm run bench`) first.');
    process.exit(2);
  }
  const sizes = process.argv.slice(2).map(Number);
  const pki = createTestPki({ rootName: 'Sealmail Bench CA' });
  const dir = pki.dir;
  const user = (email: string, commonName: string) => pki.issueUser({ email, commonName, purpose: 'both' });
  const alice = user('alice@example.test', 'Alice');
  const bob = user('bob@example.test', 'Bob');
  const carol = user('carol@example.test', 'Carol');
  const passwordFile = pki.writeFile('password.txt', 'correct horse\n');
  const aliceKey = importKeyFile(alice, 'alice');
  const bobKey = importKeyFile(bob, 'bob');

  // Real Sealmail key files, made by `sealmail keyfile import` from a PKCS#12 of openssl's.
  function importKeyFile(who: IssuedCertificate, name: string): string {
    const p12 = join(dir, `${name}.p12`);
    pki.openssl([
      'pkcs12',
      '-export',
      '-inkey',
      who.keyFile,
      '-in',
      who.certFile,
      '-certfile',
      pki.root.certFile,
      '-passout',
      `file:${passwordFile}`,
      '-out',
      p12,
    ]);
    const out = join(dir, `${name}.p12key`);
    measure(
      process.execPath,
      [
        cli,
        'keyfile',
        'import',
        '--p12',
        p12,
        '--p12-password-file',
        passwordFile,
        '--key-file',
        out,
        '--password-file',
        passwordFile,
      ],
      dir,
    );
    return out;
  }

  const sealmailSeal = (plain: string, sealed: string) =>
    measure(
      process.execPath,
      [
        cli,
        'seal',
        '--in',
        plain,
        '--out',
        sealed,
        '--sign',
        '--key-file',
        aliceKey,
        '--password-file',
        passwordFile,
        '--encrypt',
        '--recipient-cert',
        bob.certFile,
        carol.certFile,
      ],
      dir,
    );
  const sealmailOpen = (sealed: string, opened: string) =>
    measure(
      process.execPath,
      [
        cli,
        'open',
        '--in',
        sealed,
        '--out',
        opened,
        '--key-file',
        bobKey,
        '--password-file',
        passwordFile,
        '--trust',
        pki.root.certFile,
        '--json',
      ],
      dir,
    );
  const opensslSeal = (plain: string, sealed: string) =>
    sequence([
      measure(
        'openssl',
        [
          'cms',
          '-sign',
          '-in',
          plain,
          '-signer',
          alice.certFile,
          '-inkey',
          alice.keyFile,
          '-out',
          `${sealed}.signed`,
        ],
        dir,
      ),
      measure(
        'openssl',
        [
          'cms',
          '-encrypt',
          '-aes256',
          '-in',
          `${sealed}.signed`,
          '-out',
          sealed,
          bob.certFile,
          carol.certFile,
          alice.certFile,
        ],
        dir,
      ),
    ]);
  const opensslOpen = (sealed: string, opened: string) =>
    sequence([
      measure(
        'openssl',
        [
          'cms',
          '-decrypt',
          '-in',
          sealed,
          '-recip',
          bob.certFile,
          '-inkey',
          bob.keyFile,
          '-out',
          `${opened}.inner`,
        ],
        dir,
      ),
      measure(
        'openssl',
        ['cms', '-verify', '-in', `${opened}.inner`, '-CAfile', pki.root.certFile, '-out', opened],
        dir,
      ),
    ]);

  // The machine is shared: its load says how far wall times (and parallelism) can be trusted.
  const loadAtStart = loadavg();
  const idle = median(Array.from({ length: RUNS }, () => measure(process.execPath, ['-e', '0'], dir)));
  // What every seal and open pays before it touches the message: start-up and the key file
  // unlock, whose 600,000-round PBKDF2 and MAC are deliberate (core/keyfile/key-file-parameters.ts).
  // The desktop app pays it once per session, not per message.
  const unlock = median(
    Array.from({ length: RUNS }, () =>
      measure(
        process.execPath,
        [cli, 'keyfile', 'info', '--key-file', aliceKey, '--password-file', passwordFile, '--json'],
        dir,
      ),
    ),
  );
  const rows: string[] = [];
  const at25: string[] = [];
  try {
    for (const megabytes of sizes.length > 0 ? sizes : [1, 10, 25]) {
      const message = largeMessage(megabytes);
      const plain = pki.writeFile(`plain-${megabytes}.eml`, message);
      const runs = {
        sealmailSeal: [] as Measured[],
        opensslSeal: [] as Measured[],
        sealmailOpen: [] as Measured[],
        opensslOpen: [] as Measured[],
      };
      for (let run = 0; run < RUNS; run++) {
        // Interleaved, so that a busy moment on the shared machine hits both sides alike.
        const sealed = join(dir, `sealmail-${megabytes}.eml`);
        const peerSealed = join(dir, `openssl-${megabytes}.eml`);
        runs.sealmailSeal.push(sealmailSeal(plain, sealed));
        runs.opensslSeal.push(opensslSeal(plain, peerSealed));
        runs.sealmailOpen.push(sealmailOpen(sealed, join(dir, `sealmail-opened-${megabytes}.eml`)));
        runs.opensslOpen.push(opensslOpen(peerSealed, join(dir, `openssl-opened-${megabytes}.eml`)));
      }
      // Each side opens what it sealed; the bytes must come back, or the times mean nothing.
      const opened = readFileSync(join(dir, `sealmail-opened-${megabytes}.eml`));
      if (!opened.equals(Buffer.from(message)))
        throw new Error(`Sealmail's ${megabytes} MB round trip differs`);
      const sizeMiB = message.length / MiB;
      for (const operation of ['seal', 'open'] as const) {
        const s = median(operation === 'seal' ? runs.sealmailSeal : runs.sealmailOpen);
        const o = median(operation === 'seal' ? runs.opensslSeal : runs.opensslOpen);
        rows.push(
          `| ${sizeMiB.toFixed(1)} MiB | ${operation} | ${seconds(s.wallMs)} (CPU ${seconds(s.cpuMs)}), ${s.peakMiB.toFixed(0)} MiB` +
            ` | ${seconds(o.wallMs)} (CPU ${seconds(o.cpuMs)}), ${o.peakMiB.toFixed(0)} MiB` +
            ` | ${ratio(s.wallMs, o.wallMs)} | ${ratio(s.cpuMs, o.cpuMs)} | ${ratio(s.peakMiB, o.peakMiB)} | ${(s.peakMiB / sizeMiB).toFixed(1)}× |`,
        );
        if (megabytes === 25) {
          const wallTarget = operation === 'seal' ? 1.5 : 1.0;
          const wall = s.wallMs / o.wallMs;
          const memory = s.peakMiB / sizeMiB;
          at25.push(
            `${operation}: wall ${wall.toFixed(2)}× (target ≤ ${wallTarget.toFixed(1)}×: ${wall <= wallTarget ? 'met' : 'NOT met'}), ` +
              `peak ${memory.toFixed(1)}× the message (target ≤ 4×: ${memory <= 4 ? 'met' : 'NOT met'})`,
          );
        }
      }
      rmSync(plain);
    }
  } finally {
    pki.cleanup();
  }
  console.log(
    `\nmedian of ${RUNS} runs each; send = sign (alice) + encrypt AES-256-CBC to bob, carol and alice; ` +
      'open = decrypt (bob) + verify to the root',
  );
  console.log(
    `Sealmail = node bin/sealmail.js seal|open, including the key file unlock (PBKDF2, 600,000 rounds); ` +
      'OpenSSL = openssl cms -sign then -encrypt, -decrypt then -verify, with PEM keys',
  );
  console.log(
    `an idle node process: ${idle.peakMiB.toFixed(0)} MiB peak RSS, ${seconds(idle.wallMs)} wall (machine load shows here)`,
  );
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  console.log(
    `load average (1, 5, 15 min) on ${cpus().length} cores: ${load(loadAtStart)} at the start, ${load(loadavg())} at the end`,
  );
  console.log(
    `start-up + key file unlock alone (sealmail keyfile info): ${seconds(unlock.wallMs)} wall, ` +
      `CPU ${seconds(unlock.cpuMs)}, ${unlock.peakMiB.toFixed(0)} MiB; included in every Sealmail row below`,
  );
  console.log(
    '| message | operation | Sealmail | openssl cms | wall ratio | CPU ratio | peak-memory ratio | Sealmail peak / message |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  for (const line of at25) console.log(`25 MB ${line}`);
}

main();
