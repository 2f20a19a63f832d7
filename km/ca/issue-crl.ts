// CRL issuance per RFC 5280 §5: v2, signed by the issuing CA with ECDSA P-256 / SHA-256, with a
// cRLNumber (§5.2.3), the authorityKeyIdentifier (§5.2.1), a nextUpdate (default 7 days, issue
// 4) and a reasonCode entry extension (§5.3.1) on each revoked serial. Revoked serials stay
// listed until their certificate expires (seed 003); the caller passes only unexpired ones.
// Written as DER directly (der-writer.ts) so 100,000 entries take about as long as OpenSSL.
import type { RevocationReason } from '../storage/records.js';
import {
  concat,
  objectIdentifier,
  sequence,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
} from './der-writer.js';
import type { IssuingCa } from './issuing-ca.js';

export const defaultCrlValidityDays = 7;

/** RFC 5280 §5.3.1 CRLReason values. */
export const reasonCodes: Readonly<Record<RevocationReason, number>> = {
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
};

export interface RevokedSerial {
  serial: string;
  revokedAt: Date;
  reason: RevocationReason;
}

const ecdsaWithSha256 = sequence(objectIdentifier('1.2.840.10045.4.3.2'));
const reasonCodeOid = objectIdentifier('2.5.29.21');

function entry(
  revoked: RevokedSerial,
  reasonExtensions: ReadonlyMap<RevocationReason, Uint8Array>,
): Uint8Array {
  const hex = revoked.serial.length % 2 ? `0${revoked.serial}` : revoked.serial;
  return sequence(
    unsignedInteger(new Uint8Array(Buffer.from(hex, 'hex'))),
    time(revoked.revokedAt),
    reasonExtensions.get(revoked.reason) ?? new Uint8Array(),
  );
}

/** WebCrypto's ECDSA signature is r ‖ s; X.509 wants ECDSA-Sig-Value (RFC 3279 §2.2.3). */
function ecdsaSigValue(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  return sequence(unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half)));
}

export async function issueCrl(
  ca: IssuingCa,
  options: { crlNumber: number; revoked: readonly RevokedSerial[]; thisUpdate: Date; validityDays?: number },
): Promise<{ der: Uint8Array; nextUpdate: Date }> {
  const thisUpdate = new Date(Math.floor(options.thisUpdate.getTime() / 1000) * 1000);
  const nextUpdate = new Date(
    thisUpdate.getTime() + (options.validityDays ?? defaultCrlValidityDays) * 86_400_000,
  );
  // Each reason's entry extension is the same bytes for every entry: encode each once.
  const reasonExtensions = new Map(
    (Object.entries(reasonCodes) as [RevocationReason, number][]).map(([reason, code]) => [
      reason,
      sequence(sequence(reasonCodeOid, tlv(0x04, tlv(0x0a, new Uint8Array([code]))))),
    ]),
  );
  const issuer = new Uint8Array(ca.certificate.subject.toSchema().toBER(false));
  const extensions = tlv(
    0xa0,
    sequence(
      sequence(objectIdentifier('2.5.29.35'), tlv(0x04, sequence(tlv(0x80, ca.keyId)))),
      sequence(objectIdentifier('2.5.29.20'), tlv(0x04, smallInteger(options.crlNumber))),
    ),
  );
  const tbs = sequence(
    smallInteger(1), // v2
    ecdsaWithSha256,
    issuer,
    time(thisUpdate),
    time(nextUpdate),
    // An empty list is left out entirely: RFC 5280 §5.1.2.6 forbids an empty SEQUENCE.
    options.revoked.length > 0
      ? sequence(concat(options.revoked.map((revoked) => entry(revoked, reasonExtensions))))
      : new Uint8Array(),
    extensions,
  );
  const signature = new Uint8Array(
    await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ca.privateKey, tbs),
  );
  const der = sequence(
    tbs,
    ecdsaWithSha256,
    tlv(0x03, concat([new Uint8Array([0]), ecdsaSigValue(signature)])),
  );
  return { der, nextUpdate };
}
