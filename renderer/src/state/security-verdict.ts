// The worker's verdict (core/smime/open.ts OpenReport) as the lines of the reader's security
// banner. Seed 003: a revoked signer is a warning with its date and reason; ARCHITECTURE.md
// "Reading": the verdict is data (signed, valid, untrusted, revoked, who signed, whether From is
// the signer), and a message counts as signed only when its root is signed.
import type { MessageSummary } from '../../../core/api/types.js';
import type { OpenReport } from '../../../core/smime/open.js';

export type BannerTone = 'ok' | 'info' | 'warning' | 'danger';

export interface BannerLine {
  tone: BannerTone;
  /** A symbol for the eye; the text alone says everything (never colour or symbol alone). */
  symbol: string;
  text: string;
}

interface Entry {
  code: string;
  message: string;
}

/** "2026-05-03T10:00:00.000Z" → the user's own date format. */
function dateInWords(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** core/smime/verify/verify-signature.ts: '"CN=…" was revoked on <ISO>( (<reason>))?.' */
function revocationOf(entries: Entry[]): { at: string; reason: string | null } | null {
  const revoked = entries.find((entry) => entry.code === 'SIGNER_REVOKED');
  if (!revoked) return null;
  const found = /revoked on (\S+?)(?: \(([^)]*)\))?\.?$/.exec(revoked.message);
  return found
    ? { at: dateInWords(found[1]!), reason: found[2] ?? null }
    : { at: 'an unknown date', reason: null };
}

function signatureLine(report: OpenReport, entries: Entry[]): BannerLine | null {
  if (!report.signed) return null;
  const signer = report.signer?.email ?? report.signer?.subject ?? 'an unknown signer';
  const firstMessage = (code: string) => entries.find((entry) => entry.code === code)?.message ?? '';
  switch (report.signature) {
    case 'valid':
      return { tone: 'ok', symbol: '✍', text: `Signed by ${signer} ✓` };
    case 'revoked': {
      const revoked = revocationOf(entries);
      const reason = revoked?.reason ? `, reason: ${revoked.reason}` : '';
      return {
        tone: 'danger',
        symbol: '⊘',
        text: `Signed by ${signer}, but that certificate was revoked on ${revoked?.at ?? 'an unknown date'}${reason}. Do not trust this signature.`,
      };
    }
    case 'untrusted':
      return {
        tone: 'warning',
        symbol: '⚠',
        text: `Signed by ${signer}, but the certificate is not trusted. ${firstMessage('SIGNER_UNTRUSTED')}`.trim(),
      };
    case 'expired':
      return {
        tone: 'warning',
        symbol: '◷',
        text: `Signed by ${signer}, but the certificate had expired. ${firstMessage('SIGNER_EXPIRED')}`.trim(),
      };
    case 'invalid':
      return {
        tone: 'danger',
        symbol: '✘',
        text: `The signature is not valid: the message may have been changed. ${firstMessage('SIGNATURE_INVALID')}`.trim(),
      };
    case 'none':
      return null;
  }
}

const warningWords: Record<string, { tone: BannerTone; symbol: string; lead: string }> = {
  NESTED_PART_IGNORED: {
    tone: 'warning',
    symbol: '⚠',
    lead: 'Only part of this message is signed or encrypted.',
  },
  LEGACY_ALGORITHM: { tone: 'warning', symbol: '⚠', lead: 'Signed with a weak algorithm.' },
  WEAK_CIPHER: { tone: 'warning', symbol: '⚠', lead: 'Encrypted with a weak algorithm.' },
  REVOCATION_UNKNOWN: { tone: 'warning', symbol: '⚠', lead: 'Revocation could not be checked.' },
  CRL_STALE: { tone: 'warning', symbol: '⚠', lead: 'The revocation list is out of date.' },
};

export function bannerLines(report: OpenReport | null, security: MessageSummary['security']): BannerLine[] {
  if (!report) {
    return security === 'none'
      ? [{ tone: 'info', symbol: '✉', text: 'Not signed or encrypted' }]
      : [{ tone: 'info', symbol: '…', text: 'Checking the signature and encryption…' }];
  }
  const entries: Entry[] = [...report.errors, ...report.warnings];
  const lines: BannerLine[] = [];
  if (report.encrypted)
    lines.push(
      report.decrypted
        ? { tone: 'ok', symbol: '⚷', text: 'Encrypted' }
        : { tone: 'warning', symbol: '⚷', text: 'Encrypted; not opened' },
    );
  const signature = signatureLine(report, entries);
  if (signature) lines.push(signature);
  else lines.push({ tone: 'info', symbol: '✉', text: 'Not signed' });
  if (report.signed && report.fromMatchesSigner === false) {
    const mismatch = entries.find((entry) => entry.code === 'SIGNER_MISMATCH');
    lines.push({
      tone: 'danger',
      symbol: '⚠',
      text: `The sender differs from the signer. ${mismatch?.message ?? `From is ${report.from ?? 'missing'}.`}`,
    });
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const words = warningWords[entry.code];
    if (!words || seen.has(entry.code)) continue;
    seen.add(entry.code);
    lines.push({ tone: words.tone, symbol: words.symbol, text: `${words.lead} ${entry.message}`.trim() });
  }
  return lines;
}
