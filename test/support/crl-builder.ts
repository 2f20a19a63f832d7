// Builds CRLs byte by byte and signs them with a real WebCrypto ECDSA P-256 key, for the unit
// tests of core/pki/crl: shapes `openssl ca` never writes (unsorted entries, unknown critical
// extensions, indirect CRLs, padded serials) are exactly what a hostile or broken CA sends.
const enc = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const body = enc(...content);
  const n = body.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else if (n < 0x100) header = [tag, 0x81, n];
  else if (n < 0x10000) header = [tag, 0x82, n >> 8, n & 0xff];
  else header = [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return enc(Uint8Array.from(header), body);
}

export const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
export const integerBytes = (content: number[] | Uint8Array) => tlv(0x02, Uint8Array.from(content));
export const octets = (...c: Uint8Array[]) => tlv(0x04, ...c);

export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    let v = Math.floor(part / 128);
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

export function utcTime(date: Date): Uint8Array {
  const text = date.toISOString().slice(2, 19).replace(/[-:T]/g, '') + 'Z';
  return tlv(0x17, new TextEncoder().encode(text));
}

export function name(commonName: string): Uint8Array {
  return seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, new TextEncoder().encode(commonName)))));
}

export function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return seq(oid(id), ...(critical ? [tlv(0x01, Uint8Array.of(0xff))] : []), octets(value));
}

export const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));

export interface RevokedSpec {
  serial: number[];
  revokedAt: Date;
  reason?: number;
  /** Extra entry extensions, already encoded. */
  extensions?: Uint8Array[];
}

export function revokedEntry(spec: RevokedSpec): Uint8Array {
  const extensions = [...(spec.extensions ?? [])];
  if (spec.reason !== undefined) {
    extensions.unshift(extension('2.5.29.21', false, tlv(0x0a, Uint8Array.of(spec.reason))));
  }
  return seq(
    integerBytes(spec.serial),
    utcTime(spec.revokedAt),
    ...(extensions.length > 0 ? [seq(...extensions)] : []),
  );
}

export interface TestCa {
  name: string;
  certificate: Uint8Array;
  keys: CryptoKeyPair;
}

async function sign(keys: CryptoKeyPair, tbs: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const raw = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, tbs),
  );
  const asInteger = (half: Uint8Array) => {
    let v = Array.from(half);
    while (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) v = v.slice(1);
    if (v[0]! & 0x80) v.unshift(0);
    return integerBytes(v);
  };
  return seq(asInteger(raw.subarray(0, 32)), asInteger(raw.subarray(32)));
}

export async function makeCa(
  commonName = 'Unit Test CA',
  keyUsage = Uint8Array.of(0x01, 0x06),
): Promise<TestCa> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const subject = name(commonName);
  const tbs = seq(
    tlv(0xa0, integerBytes([2])),
    integerBytes([1]),
    ecdsaWithSha256,
    subject,
    seq(utcTime(new Date(Date.now() - 86400_000)), utcTime(new Date(Date.now() + 365 * 86400_000))),
    subject,
    spki,
    tlv(
      0xa3,
      seq(
        extension('2.5.29.19', true, seq(tlv(0x01, Uint8Array.of(0xff)))),
        extension('2.5.29.15', true, tlv(0x03, keyUsage)),
      ),
    ),
  );
  const signature = await sign(keys, tbs);
  const certificate = seq(tbs, ecdsaWithSha256, tlv(0x03, Uint8Array.of(0), signature));
  return { name: commonName, certificate, keys };
}

export interface CrlSpec {
  entries: RevokedSpec[];
  thisUpdate?: Date;
  nextUpdate?: Date | null;
  /** Encoded CRL extensions (cRLNumber is added unless `crlNumber` is null). */
  extensions?: Uint8Array[];
  crlNumber?: number | null;
  /** Overrides the signatureAlgorithm outside the TBS (for the mismatch test). */
  outerAlgorithm?: Uint8Array;
  innerAlgorithm?: Uint8Array;
}

export async function makeCrl(ca: TestCa, spec: CrlSpec): Promise<Uint8Array> {
  const extensions = [...(spec.extensions ?? [])];
  if (spec.crlNumber !== null)
    extensions.unshift(extension('2.5.29.20', false, integerBytes([spec.crlNumber ?? 1])));
  const nextUpdate = spec.nextUpdate === undefined ? new Date(Date.now() + 7 * 86400_000) : spec.nextUpdate;
  const tbs = seq(
    integerBytes([1]),
    spec.innerAlgorithm ?? ecdsaWithSha256,
    name(ca.name),
    utcTime(spec.thisUpdate ?? new Date(Date.now() - 3600_000)),
    ...(nextUpdate ? [utcTime(nextUpdate)] : []),
    ...(spec.entries.length > 0 ? [seq(...spec.entries.map(revokedEntry))] : []),
    ...(extensions.length > 0 ? [tlv(0xa0, seq(...extensions))] : []),
  );
  const signature = await sign(ca.keys, tbs);
  return seq(tbs, spec.outerAlgorithm ?? ecdsaWithSha256, tlv(0x03, Uint8Array.of(0), signature));
}
