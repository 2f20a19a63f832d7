// The Sealmail side of bench/crl.ts, run in its own process (bundled by esbuild, started by plain
// node) so that its peak RSS is Sealmail's alone:
//   load <crl.der> <issuer.pem>                  read + verify + index, nothing else
//   lookups <crl.der> <issuer.pem> <index-out>   average lookup time; writes the on-disk index
//   startup <index>                              read the on-disk index and answer one lookup
// Prints one JSON line of timings: wall time, and CPU time (user + system) of this process, which
// a shared, overloaded machine inflates far less than wall time.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadVerifiedCrl } from '../../core/pki/crl/verified-crl.js';
import { readCrlIndex, writeCrlIndex } from '../../electron/services/crl/crl-index-file.js';

/** Wall and CPU milliseconds spent in `run`. */
async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function load(crlPath: string, issuerPath: string): Promise<void> {
  const {
    value: crl,
    wallMs,
    cpuMs,
  } = await timed(() => loadVerifiedCrl(readFileSync(crlPath), readFileSync(issuerPath)));
  process.stdout.write(`${JSON.stringify({ entries: crl.entries.count, wallMs, cpuMs })}\n`);
}

/** Average lookup time, and the on-disk index written for `startup`. */
async function lookups(crlPath: string, issuerPath: string, indexPath: string): Promise<void> {
  const crl = await loadVerifiedCrl(readFileSync(crlPath), readFileSync(issuerPath));
  const { entries } = crl;
  // 65,536 probes, half listed and half the same serial with its last octet changed (so misses
  // walk the whole binary search too), cycled through a million lookups. They are built before
  // timing, as a verifier holds its certificate's serial already.
  const probes: Uint8Array[] = [];
  let seed = 12345;
  for (let i = 0; i < 65_536; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const serial = entries.serialAt(seed % entries.count).slice();
    if (i % 2 === 1) serial[serial.length - 1] = serial[serial.length - 1]! ^ 0x5a;
    probes.push(serial);
  }
  // A warm-up pass first: the desktop app looks serials up in a long-running, JIT-compiled
  // process, and that steady state is what the target is about.
  for (let i = 0; i < 200_000; i++) entries.indexOf(probes[i & 0xffff]!);
  const count = 1_000_000;
  const {
    value: hits,
    wallMs,
    cpuMs,
  } = await timed(() => {
    let found = 0;
    for (let i = 0; i < count; i++) if (entries.indexOf(probes[i & 0xffff]!) >= 0) found++;
    return found;
  });
  await writeCrlIndex(indexPath, crl);
  const perLookup = 1e6 / count;
  process.stdout.write(`${JSON.stringify({ wallNs: wallMs * perLookup, cpuNs: cpuMs * perLookup, hits })}\n`);
}

async function startup(indexPath: string): Promise<void> {
  const {
    value: found,
    wallMs,
    cpuMs,
  } = await timed(() => {
    const crl = readCrlIndex(indexPath);
    if (!crl) throw new Error(`no index at ${indexPath}`);
    return crl.entries.indexOf(crl.entries.serialAt(crl.entries.count >> 1)) >= 0;
  });
  if (!found) throw new Error('the index read back does not find its own serial');
  process.stdout.write(`${JSON.stringify({ wallMs, cpuMs })}\n`);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'load') await load(args[0]!, args[1]!);
else if (mode === 'lookups') await lookups(args[0]!, args[1]!, args[2]!);
else if (mode === 'startup') await startup(args[0]!);
else throw new Error(`unknown mode ${mode}`);
