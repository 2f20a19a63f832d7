// `sealmail crl check|import|list` (issue 5). `check` answers from the files given, with no
// cache: it is the scriptable form of "is this serial on this CA's CRL?" and prints
//   {"revoked":bool,"reason":string|null,"revocationDate":iso|null,"thisUpdate":iso,"nextUpdate":iso|null}
// A bad signature, a wrong issuer or a malformed CRL is a coded error and exit status 1.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import { pemOrDer, readCertificateFacts } from '../../../core/pki/crl/certificate-facts.js';
import { bytesEqual } from '../../../core/pki/crl/der-reader.js';
import { isoTime } from '../../../core/pki/crl/der-time.js';
import { reasonName } from '../../../core/pki/crl/revoked-index.js';
import { checkCrlScope, crlAnswer, type StaleCrlPolicy } from '../../../core/pki/crl/revocation-status.js';
import { serialFromHex, serialToHex } from '../../../core/pki/crl/serial-key.js';
import { loadVerifiedCrl } from '../../../core/pki/crl/verified-crl.js';
import { CrlCache } from '../../services/crl/crl-cache.js';
import type { CliContext } from '../program.js';

interface CheckOptions {
  crl: string;
  issuer: string;
  serial?: string;
  cert?: string;
  delta?: string;
  at?: string;
  failStale?: boolean;
  json?: boolean;
}

async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `cannot read the ${what} ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function momentOf(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `--at "${text}" is not a date; use ISO 8601, e.g. 2026-01-31T12:00:00Z.`,
    );
  }
  return at;
}

async function check(options: CheckOptions, context: CliContext): Promise<void> {
  if ((options.serial === undefined) === (options.cert === undefined)) {
    throw new SealmailError('INVALID_REQUEST', 'give exactly one of --serial HEX and --cert FILE');
  }
  const at = momentOf(options.at);
  const issuer = readCertificateFacts(
    pemOrDer(await readInput(options.issuer, 'issuer certificate'), 'CERTIFICATE', 'MALFORMED_CERTIFICATE'),
  );
  const complete = await loadVerifiedCrl(await readInput(options.crl, 'CRL'), issuer);
  const delta = options.delta
    ? await loadVerifiedCrl(await readInput(options.delta, 'delta CRL'), issuer)
    : null;
  let serial: Uint8Array;
  if (options.cert !== undefined) {
    const certificate = readCertificateFacts(
      pemOrDer(await readInput(options.cert, 'certificate'), 'CERTIFICATE', 'MALFORMED_CERTIFICATE'),
    );
    if (!bytesEqual(certificate.issuer, complete.facts.issuer)) {
      throw new SealmailError(
        'CRL_WRONG_ISSUER',
        'The certificate was issued by a different CA than the CRL; use the CRL of the CA that issued it.',
      );
    }
    checkCrlScope(complete, certificate);
    serial = certificate.serial;
  } else {
    serial = serialFromHex(options.serial ?? '');
  }
  const policy: StaleCrlPolicy = options.failStale ? 'fail-closed' : 'warn';
  const answer = crlAnswer({ complete, delta }, serial, at, policy);
  if (answer.stale && answer.nextUpdate !== null) {
    context.err(
      `sealmail: warning: CRL_STALE: the CRL was due to be replaced at ${isoTime(answer.nextUpdate)}; its answer may be out of date.`,
    );
  }
  const result = {
    revoked: answer.revoked,
    reason: answer.revoked ? reasonName(answer.reason) : null,
    revocationDate: answer.revokedAt === null ? null : isoTime(answer.revokedAt),
    thisUpdate: isoTime(answer.thisUpdate),
    nextUpdate: answer.nextUpdate === null ? null : isoTime(answer.nextUpdate),
  };
  if (options.json) {
    context.out(JSON.stringify(result));
    return;
  }
  const name = serialToHex(serial);
  context.out(
    result.revoked
      ? `serial ${name} is REVOKED since ${result.revocationDate}${result.reason ? ` (${result.reason})` : ''}`
      : `serial ${name} is not revoked`,
  );
  context.out(`CRL issued ${result.thisUpdate}, next update ${result.nextUpdate ?? 'not stated'}`);
}

export function registerCrlCommands(program: Command, context: CliContext): void {
  const crl = program.command('crl').description('certificate revocation lists (CRLs)');
  crl
    .command('check')
    .description('is a serial (or certificate) on the CA-signed CRL?')
    .requiredOption('--crl <file>', 'the CRL, DER or PEM')
    .requiredOption('--issuer <file>', 'the certificate of the CA that signed the CRL')
    .option('--serial <hex>', 'serial number in hex, as `openssl x509 -serial` prints it ("-" for negative)')
    .option('--cert <file>', 'a certificate to check instead of --serial (also checks the CRL scope)')
    .option('--delta <file>', 'a delta CRL to apply on top of --crl (RFC 5280 §5.2.4)')
    .option('--at <date>', 'answer for this moment instead of now (ISO 8601)')
    .option('--fail-stale', 'fail (CRL_STALE) instead of warning when the CRL is past its nextUpdate')
    .option('--json', 'print the answer as JSON')
    .action((options: CheckOptions) => check(options, context));

  crl
    .command('import')
    .description('verify a CRL and keep its index in the Sealmail CRL cache')
    .requiredOption('--crl <file>', 'the CRL, DER or PEM')
    .requiredOption('--issuer <file>', 'the certificate of the CA that signed the CRL')
    .option('--delta <file>', 'a delta CRL for it')
    .option('--url <url>', 'where to fetch it again (default: the issuer certificate’s distribution point)')
    .action(async (options: { crl: string; issuer: string; delta?: string; url?: string }) => {
      const cache = new CrlCache(join(context.home().root, 'crl'));
      const deltaDer = options.delta ? await readInput(options.delta, 'delta CRL') : undefined;
      const cached = await cache.install(
        await readInput(options.issuer, 'issuer certificate'),
        await readInput(options.crl, 'CRL'),
        { ...(deltaDer ? { deltaDer } : {}), ...(options.url ? { url: options.url } : {}) },
      );
      context.out(
        `stored the CRL of ${cached.complete.entries.count} entries, issued ${isoTime(cached.complete.facts.thisUpdate)}`,
      );
    });

  crl
    .command('list')
    .description('the CRLs in the cache and how old they are')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) => {
      const cache = new CrlCache(join(context.home().root, 'crl'));
      const rows = cache.loadAll().map((record) => {
        const issuer = readCertificateFacts(Buffer.from(record.issuer, 'base64'));
        const entries = cache.cached(issuer)?.complete.entries.count ?? 0;
        return {
          url: record.url,
          entries,
          thisUpdate: isoTime(record.thisUpdate),
          nextUpdate: record.nextUpdate === null ? null : isoTime(record.nextUpdate),
          checkedAt: record.checkedAt,
          stale: record.nextUpdate !== null && Date.now() / 1000 > record.nextUpdate,
        };
      });
      if (options.json) return context.out(JSON.stringify(rows));
      if (rows.length === 0) return context.out('no CRLs cached; add one with `sealmail crl import`');
      for (const row of rows) {
        context.out(
          `${row.url ?? '(no URL)'}: ${row.entries} entries, issued ${row.thisUpdate}, next ${row.nextUpdate ?? '-'}, checked ${row.checkedAt}${row.stale ? ' (STALE)' : ''}`,
        );
      }
    });
}
