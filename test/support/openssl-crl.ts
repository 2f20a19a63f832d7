// CRLs made by `openssl ca -gencrl` from a CA database written directly, so tests and the
// benchmark can list any serial OpenSSL accepts (leading zeros, 20-octet values, negative serials
// from broken CAs) and any number of entries, without issuing a certificate for each.
// Delta CRLs and issuingDistributionPoint come from `-crlexts` sections (x509v3_config(5)).
import { appendFileSync, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { pemToDer, runOpenssl, type CertificateAuthority } from './openssl-pki.js';

export interface RevocationRow {
  /** Hex as in index.txt: optional "-", any leading zeros. */
  serialHex: string;
  revokedAt: Date;
  /** OpenSSL's reason name (unspecified, keyCompromise, CACompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, removeFromCRL) or none. */
  reason?: string;
}

/** index.txt's dates: YYMMDDHHMMSSZ (UTCTime). */
function indexDate(date: Date): string {
  return date
    .toISOString()
    .slice(2)
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function indexLine(row: RevocationRow): string {
  let revocation = indexDate(row.revokedAt);
  if (row.reason) revocation += `,${row.reason}`;
  // A hold needs its instruction (RFC 5280 §5.3.2's holdInstructionCode, which openssl insists on).
  if (row.reason === 'certificateHold') revocation += ',holdInstructionReject';
  return `R\t491231235959Z\t${revocation}\t${row.serialHex}\tunknown\t/CN=revoked ${row.serialHex}\n`;
}

/** Replaces the CA's database with these revoked rows. */
export function writeRevocations(ca: CertificateAuthority, rows: readonly RevocationRow[]): void {
  writeFileSync(join(ca.caDir, 'index.txt'), rows.map(indexLine).join(''));
}

/** Adds revoked rows to the CA's database, after the certificates it issued or revoked itself. */
export function appendRevocations(ca: CertificateAuthority, rows: readonly RevocationRow[]): void {
  appendFileSync(join(ca.caDir, 'index.txt'), rows.map(indexLine).join(''));
}

/** Writes `count` revoked rows produced by `row(i)`, streaming (a million rows is about 80 MB). */
export async function writeManyRevocations(
  ca: CertificateAuthority,
  count: number,
  row: (i: number) => RevocationRow,
): Promise<void> {
  const out = createWriteStream(join(ca.caDir, 'index.txt'));
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += indexLine(row(i));
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

export interface CrlOptions {
  crlNumber?: number;
  /** x509v3_config lines for the CRL extensions, e.g. "deltaCRL = critical, 3". */
  extensions?: string[];
  lastUpdate?: Date;
  nextUpdate?: Date;
  /** Signature digest (default sha256). */
  digest?: string;
}

export interface GeneratedCrl {
  file: string;
  derFile: string;
  der: Uint8Array;
}

let sequence = 0;

/** `openssl ca -gencrl` over the CA's database; returns PEM and DER files and the DER bytes. */
export function generateCrl(ca: CertificateAuthority, options: CrlOptions = {}): GeneratedCrl {
  const name = `crl-${++sequence}`;
  const config = join(ca.caDir, 'openssl.cnf');
  if (options.crlNumber !== undefined) {
    writeFileSync(
      join(ca.caDir, 'crlnumber'),
      `${options.crlNumber.toString(16).toUpperCase().padStart(2, '0')}\n`,
    );
  }
  const args = ['ca', '-gencrl', '-batch', '-config', config, '-cert', ca.certFile, '-keyfile', ca.keyFile];
  args.push('-md', options.digest ?? 'sha256');
  if (options.extensions && options.extensions.length > 0) {
    appendFileSync(config, `\n[ ${name} ]\n${options.extensions.join('\n')}\n`);
    args.push('-crlexts', name);
  }
  if (options.lastUpdate) args.push('-crl_lastupdate', generalizedTime(options.lastUpdate));
  if (options.nextUpdate) args.push('-crl_nextupdate', generalizedTime(options.nextUpdate));
  const file = join(ca.caDir, `${name}.pem`);
  const derFile = join(ca.caDir, `${name}.der`);
  runOpenssl([...args, '-out', file]);
  runOpenssl(['crl', '-in', file, '-outform', 'DER', '-out', derFile]);
  return { file, derFile, der: pemToDer(readFileSync(file, 'utf8')) };
}

function generalizedTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export interface OpensslRevocation {
  /** As `openssl crl -text` prints it: uppercase hex, "-" for a negative serial. */
  serialHex: string;
  revokedAt: Date;
  /** OpenSSL's words, e.g. "Key Compromise", or null. */
  reason: string | null;
}

/** Every entry of a CRL as `openssl crl -text` reads it. */
export function opensslRevocations(crlFile: string): OpensslRevocation[] {
  const text = runOpenssl(['crl', '-in', crlFile, '-noout', '-text']).toString();
  const entries: OpensslRevocation[] = [];
  const pattern = /Serial Number: (-?[0-9A-F]+)\s+Revocation Date: ([^\n]+)\n((?: {8,}[^\n]*\n)*)/g;
  for (const match of text.matchAll(pattern)) {
    const reasonMatch = /X509v3 CRL Reason Code:\s*\n\s*([^\n]+)/.exec(match[3] ?? '');
    entries.push({
      serialHex: match[1]!,
      revokedAt: new Date(match[2]!.trim()),
      reason: reasonMatch ? reasonMatch[1]!.trim() : null,
    });
  }
  return entries;
}
