// The streaming CRL reader on CRLs built byte by byte and signed with a real ECDSA key: the
// shapes openssl never writes, and damaged input, must give the user a coded error, never a
// wrong answer or a crash.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { reasonName } from '../../core/pki/crl/revoked-index.js';
import { crlAnswer } from '../../core/pki/crl/revocation-status.js';
import { serialFromHex } from '../../core/pki/crl/serial-key.js';
import { loadVerifiedCrl } from '../../core/pki/crl/verified-crl.js';
import {
  extension,
  integerBytes,
  makeCa,
  makeCrl,
  oid,
  seq,
  tlv,
  type TestCa,
} from '../support/crl-builder.js';

const day = 86400_000;
const at = (offsetDays: number) => new Date(Math.floor((Date.now() + offsetDays * day) / 1000) * 1000);

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof SealmailError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('the streaming CRL reader', () => {
  let ca: TestCa;
  let good: Uint8Array;

  beforeAll(async () => {
    ca = await makeCa();
    good = await makeCrl(ca, {
      entries: [
        { serial: [0x30], revokedAt: at(-3), reason: 1 },
        { serial: [0x05], revokedAt: at(-2) },
        { serial: [0xff, 0x7f], revokedAt: at(-1), reason: 6 },
        { serial: [0x00, 0x80], revokedAt: at(-4), reason: 4 },
      ],
    });
  });

  it('indexes entries that are not in serial order, with their dates and reasons', async () => {
    const crl = await loadVerifiedCrl(good, ca.certificate);
    expect(crl.entries.count).toBe(4);
    const find = (hex: string) => crl.entries.find(serialFromHex(hex));
    expect(find('30')).toEqual({ revokedAt: at(-3).getTime() / 1000, reason: 1 });
    expect(find('05')).toEqual({ revokedAt: at(-2).getTime() / 1000, reason: null });
    expect(reasonName(find('-81')!.reason)).toBe('certificateHold');
    expect(reasonName(find('80')!.reason)).toBe('superseded');
    expect(find('81')).toBeNull();
    expect(find('06')).toBeNull();
  });

  it('reads an empty CRL and one without nextUpdate', async () => {
    const empty = await loadVerifiedCrl(await makeCrl(ca, { entries: [], nextUpdate: null }), ca.certificate);
    expect(empty.entries.count).toBe(0);
    expect(empty.facts.nextUpdate).toBeNull();
    const answer = crlAnswer({ complete: empty, delta: null }, Uint8Array.of(1), at(3650), 'fail-closed');
    expect(answer).toMatchObject({ revoked: false, stale: false });
  });

  it('gives truncated input MALFORMED_CRL at every length', async () => {
    for (let length = 0; length < good.length; length++) {
      expect(
        await codeOf(() => loadVerifiedCrl(good.subarray(0, length), ca.certificate)),
        `length ${length}`,
      ).toBe('MALFORMED_CRL');
    }
  });

  it('gives garbage and damaged input only coded errors', async () => {
    const allowed = ['MALFORMED_CRL', 'CRL_SIGNATURE_INVALID', 'CRL_UNSUPPORTED', 'CRL_WRONG_ISSUER'];
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect(allowed).toContain(await codeOf(() => loadVerifiedCrl(bytes, ca.certificate)));
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: good.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (i, flip) => {
          const damaged = good.slice();
          damaged[i] = damaged[i]! ^ flip;
          expect(allowed).toContain(await codeOf(() => loadVerifiedCrl(damaged, ca.certificate)));
        },
      ),
      { numRuns: 300 },
    );
    expect(
      await codeOf(() =>
        loadVerifiedCrl(
          new TextEncoder().encode('-----BEGIN X509 CRL-----\n!!\n-----END X509 CRL-----'),
          ca.certificate,
        ),
      ),
    ).toBe('MALFORMED_CRL');
  });

  it('refuses padded serials, as OpenSSL does', async () => {
    const padded = await makeCrl(ca, { entries: [{ serial: [0x00, 0x01], revokedAt: at(-1) }] });
    expect(await codeOf(() => loadVerifiedCrl(padded, ca.certificate))).toBe('MALFORMED_CRL');
  });

  it('refuses a CRL whose outer signature algorithm differs from the signed one', async () => {
    const swapped = await makeCrl(ca, { entries: [], outerAlgorithm: seq(oid('1.2.840.10045.4.3.3')) });
    expect(await codeOf(() => loadVerifiedCrl(swapped, ca.certificate))).toBe('MALFORMED_CRL');
  });

  it('refuses SHA-1 signatures and unknown critical extensions as unsupported', async () => {
    const sha1 = seq(oid('1.2.840.10045.4.1'));
    const weak = await makeCrl(ca, { entries: [], outerAlgorithm: sha1, innerAlgorithm: sha1 });
    expect(await codeOf(() => loadVerifiedCrl(weak, ca.certificate))).toBe('CRL_UNSUPPORTED');
    const unknown = extension('1.3.6.1.4.1.99999.1', true, tlv(0x05));
    const crlExtension = await makeCrl(ca, { entries: [], extensions: [unknown] });
    expect(await codeOf(() => loadVerifiedCrl(crlExtension, ca.certificate))).toBe('CRL_UNSUPPORTED');
    const entryExtension = await makeCrl(ca, {
      entries: [{ serial: [1], revokedAt: at(-1), extensions: [unknown] }],
    });
    expect(await codeOf(() => loadVerifiedCrl(entryExtension, ca.certificate))).toBe('CRL_UNSUPPORTED');
    // A non-critical unknown extension is ignored (RFC 5280 §5.2, §5.3).
    const ignorable = extension('1.3.6.1.4.1.99999.1', false, tlv(0x05));
    const fine = await makeCrl(ca, {
      entries: [{ serial: [1], revokedAt: at(-1), extensions: [ignorable] }],
    });
    expect((await loadVerifiedCrl(fine, ca.certificate)).entries.count).toBe(1);
  });

  it('refuses indirect CRLs', async () => {
    const certificateIssuer = extension('2.5.29.29', true, seq(tlv(0xa4, seq())));
    const indirect = await makeCrl(ca, {
      entries: [{ serial: [1], revokedAt: at(-1), extensions: [certificateIssuer] }],
    });
    expect(await codeOf(() => loadVerifiedCrl(indirect, ca.certificate))).toBe('CRL_UNSUPPORTED');
  });

  it('refuses an issuer that may not sign CRLs, and a CRL from a different CA', async () => {
    const noCrlSign = await makeCa('Unit Test CA', Uint8Array.of(0x02, 0x04)); // keyCertSign only
    const crl = await makeCrl(noCrlSign, { entries: [] });
    expect(await codeOf(() => loadVerifiedCrl(crl, noCrlSign.certificate))).toBe('CRL_WRONG_ISSUER');
    const stranger = await makeCa('Another CA');
    expect(await codeOf(() => loadVerifiedCrl(good, stranger.certificate))).toBe('CRL_WRONG_ISSUER');
    const twin = await makeCa('Unit Test CA');
    expect(await codeOf(() => loadVerifiedCrl(good, twin.certificate))).toBe('CRL_SIGNATURE_INVALID');
  });

  it('warns on a stale CRL and fails closed when policy says so', async () => {
    const stale = await loadVerifiedCrl(
      await makeCrl(ca, {
        entries: [{ serial: [7], revokedAt: at(-20) }],
        thisUpdate: at(-10),
        nextUpdate: at(-3),
      }),
      ca.certificate,
    );
    const set = { complete: stale, delta: null };
    expect(crlAnswer(set, Uint8Array.of(7), new Date(), 'warn')).toMatchObject({
      revoked: true,
      stale: true,
    });
    expect(await codeOf(() => crlAnswer(set, Uint8Array.of(7), new Date(), 'fail-closed'))).toBe('CRL_STALE');
    // The same CRL, asked about a moment before its nextUpdate, is fresh.
    expect(crlAnswer(set, Uint8Array.of(7), at(-4), 'fail-closed')).toMatchObject({
      revoked: true,
      stale: false,
    });
  });

  it('applies a delta CRL and refuses one for another base or scope', async () => {
    const complete = await loadVerifiedCrl(
      await makeCrl(ca, {
        crlNumber: 10,
        entries: [
          { serial: [1], revokedAt: at(-5), reason: 6 },
          { serial: [2], revokedAt: at(-5), reason: 1 },
        ],
      }),
      ca.certificate,
    );
    const deltaIndicator = (base: number) => extension('2.5.29.27', true, integerBytes([base]));
    const delta = await loadVerifiedCrl(
      await makeCrl(ca, {
        crlNumber: 11,
        extensions: [deltaIndicator(10)],
        entries: [
          { serial: [1], revokedAt: at(-1), reason: 8 },
          { serial: [3], revokedAt: at(-1), reason: 5 },
        ],
      }),
      ca.certificate,
    );
    const set = { complete, delta };
    const ask = (serial: number) => crlAnswer(set, Uint8Array.of(serial), new Date(), 'fail-closed');
    expect(ask(1).revoked).toBe(false);
    expect(ask(2)).toMatchObject({ revoked: true, reason: 1 });
    expect(ask(3)).toMatchObject({ revoked: true, reason: 5 });
    expect(ask(4).revoked).toBe(false);

    const forLaterBase = await loadVerifiedCrl(
      await makeCrl(ca, { crlNumber: 13, extensions: [deltaIndicator(12)], entries: [] }),
      ca.certificate,
    );
    expect(
      await codeOf(() => crlAnswer({ complete, delta: forLaterBase }, Uint8Array.of(1), new Date(), 'warn')),
    ).toBe('CRL_DELTA_MISMATCH');
    const idp = extension('2.5.29.28', true, seq(tlv(0x81, Uint8Array.of(0xff))));
    const otherScope = await loadVerifiedCrl(
      await makeCrl(ca, { crlNumber: 11, extensions: [deltaIndicator(10), idp], entries: [] }),
      ca.certificate,
    );
    expect(
      await codeOf(() => crlAnswer({ complete, delta: otherScope }, Uint8Array.of(1), new Date(), 'warn')),
    ).toBe('CRL_DELTA_MISMATCH');
  });
});
