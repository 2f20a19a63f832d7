// The reader's security banner, from the worker's verdict (core/smime/open.ts). Each case is one
// a user must be able to tell apart: signed and encrypted, revoked with its date and reason,
// untrusted, From not the signer, only part signed, a weak algorithm.
import { expect, test } from 'vitest';
import type { OpenReport } from '../../core/smime/open.js';
import { bannerLines } from '../../renderer/src/state/security-verdict.js';

const good: OpenReport = {
  encrypted: true,
  decrypted: true,
  signed: true,
  signature: 'valid',
  signer: { email: 'alice@example.test', subject: 'CN=alice@example.test', serial: '0a' },
  from: 'alice@example.test',
  fromMatchesSigner: true,
  errors: [],
  warnings: [],
};

const texts = (report: OpenReport | null, security: 'none' | 'signed' | 'encrypted' = 'encrypted') =>
  bannerLines(report, security).map((line) => line.text);

test('signed and encrypted: both said, the signer named', () => {
  expect(texts(good)).toEqual(['Encrypted', 'Signed by alice@example.test ✓']);
  expect(bannerLines(good, 'encrypted').every((line) => line.tone === 'ok')).toBe(true);
});

test('a revoked signer: the date and the reason, as danger', () => {
  const revokedAt = '2026-11-23T12:00:00.000Z';
  const report: OpenReport = {
    ...good,
    signature: 'revoked',
    errors: [
      {
        code: 'SIGNER_REVOKED',
        message: `"CN=alice@example.test" was revoked on ${revokedAt} (keyCompromise).`,
      },
    ],
  };
  const line = bannerLines(report, 'encrypted').find((each) => each.tone === 'danger');
  expect(line?.text).toContain('Signed by alice@example.test, but that certificate was revoked on');
  expect(line?.text).toContain(new Date(revokedAt).toLocaleString());
  expect(line?.text).toContain('reason: keyCompromise');
});

test('untrusted, From differs from the signer, only part signed and a weak algorithm are each said', () => {
  const report: OpenReport = {
    ...good,
    encrypted: false,
    decrypted: false,
    signature: 'untrusted',
    fromMatchesSigner: false,
    from: 'boss@example.test',
    errors: [
      { code: 'SIGNER_UNTRUSTED', message: 'The certificate does not chain to a trusted authority.' },
      {
        code: 'SIGNER_MISMATCH',
        message: 'The message claims to be from boss@example.test, but it was signed by alice@example.test.',
      },
    ],
    warnings: [
      {
        code: 'NESTED_PART_IGNORED',
        message: 'This message contains 1 signed or encrypted part(s) inside an unprotected message.',
      },
      { code: 'LEGACY_ALGORITHM', message: 'The signature uses SHA-1.' },
    ],
  };
  const lines = texts(report, 'signed');
  expect(lines[0]).toMatch(/^Signed by alice@example.test, but the certificate is not trusted/);
  expect(lines).toContain(
    'The sender differs from the signer. The message claims to be from boss@example.test, but it was signed by alice@example.test.',
  );
  expect(lines.some((text) => text.startsWith('Only part of this message is signed or encrypted.'))).toBe(
    true,
  );
  expect(lines).toContain('Signed with a weak algorithm. The signature uses SHA-1.');
});

test('plain mail says so; secured mail not yet opened says it is being checked', () => {
  expect(texts(null, 'none')).toEqual(['Not signed or encrypted']);
  expect(texts(null, 'signed')).toEqual(['Checking the signature and encryption…']);
});
