// Typed reads of the few small ASN.1 structures of a PKCS#12 file that pkijs leaves as `any`
// (algorithm parameters, bag attributes). Every read asserts its shape, so a damaged file ends
// in a coded error that names the field, never in a TypeError.
import * as asn1js from 'asn1js';
import { SealmailError } from '../errors.js';

function malformed(what: string): SealmailError {
  return new SealmailError('MALFORMED_KEYFILE', `The key file's ${what} is not what PKCS#12 allows.`);
}

export function sequenceItems(node: unknown, what: string): asn1js.AsnType[] {
  if (!(node instanceof asn1js.Sequence)) throw malformed(what);
  return node.valueBlock.value;
}

export function oidOf(node: unknown, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw malformed(what);
  return node.valueBlock.toString();
}

export function octetsOf(node: unknown, what: string): Uint8Array {
  if (!(node instanceof asn1js.OctetString)) throw malformed(what);
  // getValue() joins the pieces of a constructed (BER) OCTET STRING, as Windows writes them.
  return new Uint8Array(node.getValue());
}

/** A non-negative INTEGER that fits a JS number exactly (iteration counts, key lengths). */
export function smallIntegerOf(node: unknown, what: string): number {
  if (!(node instanceof asn1js.Integer)) throw malformed(what);
  const value = node.toBigInt();
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(what);
  return Number(value);
}

/** The single parameter of an AlgorithmIdentifier, or undefined when absent or NULL. */
export function algorithmParameter(params: unknown): asn1js.BaseBlock | undefined {
  if (params === undefined || params instanceof asn1js.Null) return undefined;
  if (!(params instanceof asn1js.BaseBlock) || params instanceof asn1js.Any) return undefined;
  return params;
}

export function derOf(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.toBER(false));
}
