// DER reading and writing for the envelope. Reading goes through asn1js with limits chosen on
// purpose (ARCHITECTURE.md: its defaults reject a 10 MB message); writing assembles the outer
// layers by hand so that a 25 MB ciphertext is copied exactly once, into the output.
import * as asn1js from 'asn1js';
import { SealmailError } from '../../errors.js';
import { cmsLimits } from '../../asn1/limits.js';
import { concatBytes as concat } from '../../mime/message-bytes.js';

/**
 * asn1js limits come from core/asn1/limits.ts, scaled to this object so that a 25 MB message
 * parses and hostile input stays bounded. parseEmbedded is off so that ciphertext inside OCTET
 * STRINGs is never parsed as BER (wasted work, and it would count against maxNodes); copyInput is
 * off because the input is never mutated, so a 25 MB message is not copied.
 */
export function cmsParseOptions(byteLength: number): asn1js.FromBerOptions {
  return { ...cmsLimits(byteLength), parseEmbedded: false, copyInput: false };
}

export function malformed(what: string): SealmailError {
  return new SealmailError(
    'MALFORMED_CMS',
    `The encrypted message is damaged or is not S/MIME: ${what}. Ask the sender to send it again.`,
  );
}

/**
 * asn1js.fromBER reports most errors in its result but throws for some (a GeneralizedTime that
 * is not a time, found by test/unit/envelope-fuzz.test.ts); this turns both into the result form.
 */
export function safeFromBer(bytes: Uint8Array, options: asn1js.FromBerOptions): asn1js.FromBerResult {
  try {
    return asn1js.fromBER(bytes, options);
  } catch (error) {
    const result = new asn1js.BaseBlock();
    result.error = error instanceof Error ? error.message : String(error);
    return { offset: -1, result };
  }
}

export function parseDer(der: Uint8Array, what: string): asn1js.AsnType {
  if (der.byteLength === 0) throw malformed(`${what} is empty`);
  const parsed = safeFromBer(der, cmsParseOptions(der.byteLength));
  if (parsed.offset === -1) throw malformed(`${what} cannot be read as ASN.1 (${parsed.result.error})`);
  if (parsed.offset !== der.byteLength) throw malformed(`${what} has trailing bytes`);
  return parsed.result;
}

// ---- typed readers: each asserts the shape of untrusted input and names what was expected

export function asSequence(node: asn1js.AsnType | undefined, what: string): asn1js.BaseBlock[] {
  if (!(node instanceof asn1js.Sequence)) throw malformed(`${what} is not a SEQUENCE`);
  return node.valueBlock.value;
}

export function asSet(node: asn1js.AsnType | undefined, what: string): asn1js.BaseBlock[] {
  if (!(node instanceof asn1js.Set)) throw malformed(`${what} is not a SET`);
  return node.valueBlock.value;
}

export function asOid(node: asn1js.AsnType | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw malformed(`${what} is not an OID`);
  return node.valueBlock.toString();
}

export function asSmallInteger(node: asn1js.AsnType | undefined, what: string): number {
  if (!(node instanceof asn1js.Integer)) throw malformed(`${what} is not an INTEGER`);
  if (node.valueBlock.valueHexView.byteLength > 4) throw malformed(`${what} is out of range`);
  return node.valueBlock.valueDec;
}

/** The bytes of an OCTET STRING, primitive (a view, no copy) or constructed (joined once). */
export function octets(node: asn1js.AsnType | undefined, what: string): Uint8Array {
  if (!(node instanceof asn1js.BaseBlock)) throw malformed(`${what} is missing`);
  if (!node.idBlock.isConstructed) {
    const view = (node.valueBlock as unknown as { valueHexView?: Uint8Array }).valueHexView;
    if (!(view instanceof Uint8Array)) throw malformed(`${what} is not an OCTET STRING`);
    return view;
  }
  // BER constructed form (RFC 5652 §6.1 allows it; OpenSSL streams 4096-byte pieces).
  const pieces: Uint8Array[] = [];
  const collect = (block: asn1js.BaseBlock, depth: number): void => {
    if (depth > 8) throw malformed(`${what} nests too deeply`);
    if (!block.idBlock.isConstructed) {
      if (block.idBlock.tagClass !== 1 || block.idBlock.tagNumber !== 4) {
        throw malformed(`${what} contains something other than OCTET STRING pieces`);
      }
      pieces.push(octets(block, what));
      return;
    }
    const inner = (block.valueBlock as unknown as { value?: asn1js.BaseBlock[] }).value;
    if (!Array.isArray(inner)) throw malformed(`${what} is not an OCTET STRING`);
    for (const child of inner) {
      if (child instanceof asn1js.EndOfContent) continue;
      collect(child, depth + 1);
    }
  };
  collect(node, 0);
  return concat(pieces);
}

/** The children of a context-tagged [n] constructed element (EXPLICIT, or IMPLICIT SEQUENCE). */
export function taggedChildren(node: asn1js.AsnType | undefined, what: string): asn1js.BaseBlock[] {
  if (!(node instanceof asn1js.Constructed)) throw malformed(`${what} is not a tagged structure`);
  return node.valueBlock.value.filter((child) => !(child instanceof asn1js.EndOfContent));
}

export function isContextTag(node: asn1js.AsnType | undefined, tagNumber: number): boolean {
  return (
    node instanceof asn1js.BaseBlock && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === tagNumber
  );
}

/** The encoding as received (used for issuer names, which must compare byte for byte). */
export function encodingOf(node: asn1js.BaseBlock): Uint8Array {
  return new Uint8Array(node.valueBeforeDecodeView);
}

export interface AlgorithmIdentifier {
  oid: string;
  parameters?: asn1js.BaseBlock;
}

export function algorithmIdentifier(node: asn1js.AsnType | undefined, what: string): AlgorithmIdentifier {
  const [oid, parameters] = asSequence(node, what);
  return { oid: asOid(oid, `${what} algorithm`), parameters };
}

// ---- writing

/**
 * Bytes that will fill this place once they exist (a ciphertext still being made): only their
 * length is known, which is all DER needs to write the headers in front of them.
 */
export class LaterBytes {
  constructor(readonly byteLength: number) {}
}

/** A DER node still to be written: a tag byte and its children (bytes or nodes). */
export interface DerNode {
  tag: number;
  children: (Uint8Array | LaterBytes | DerNode)[];
  length?: number;
}

export function der(tag: number, ...children: (Uint8Array | LaterBytes | DerNode)[]): DerNode {
  return { tag, children };
}

function lengthOfLength(length: number): number {
  if (length < 0x80) return 1;
  let bytes = 0;
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes++;
  return 1 + bytes;
}

function measure(node: DerNode): number {
  let length = 0;
  for (const child of node.children) {
    length +=
      child instanceof Uint8Array || child instanceof LaterBytes ? child.byteLength : totalSize(child);
  }
  node.length = length;
  return length;
}

function totalSize(node: DerNode): number {
  const length = measure(node);
  return 1 + lengthOfLength(length) + length;
}

function writeInto(node: DerNode, out: Uint8Array, start: number): number {
  const length = node.length ?? measure(node);
  let at = writeHead(node.tag, length, out, start);
  for (const child of node.children) {
    if (child instanceof LaterBytes) {
      throw new Error('a DER tree with bytes still to come cannot be written whole');
    } else if (child instanceof Uint8Array) {
      out.set(child, at);
      at += child.byteLength;
    } else {
      at = writeInto(child, out, at);
    }
  }
  return at;
}

/**
 * A node tree as pieces whose concatenation is its DER: the tags and lengths are small new
 * arrays, the leaves are the very arrays given. A 25 MB ciphertext is thus never copied to be
 * framed; base64 encodes the pieces straight into the message (core/mime/base64.ts).
 */
export function encodeParts(node: DerNode): Uint8Array[] {
  const { before, after } = encodeAround(node);
  if (after) throw new Error('a DER tree with bytes still to come cannot be written whole');
  return before;
}

/**
 * encodeParts for a tree with one LaterBytes leaf: the pieces before it and after it (null when
 * the tree has none), so that the bytes can be produced, and written, between the two.
 */
export function encodeAround(node: DerNode): { before: Uint8Array[]; after: Uint8Array[] | null } {
  totalSize(node);
  const before: Uint8Array[] = [];
  let after: Uint8Array[] | null = null;
  const walk = (current: DerNode): void => {
    const length = current.length!;
    const head = new Uint8Array(1 + lengthOfLength(length));
    writeHead(current.tag, length, head, 0);
    (after ?? before).push(head);
    for (const child of current.children) {
      if (child instanceof LaterBytes) {
        if (after) throw new Error('a DER tree may have only one place for bytes still to come');
        after = [];
      } else if (child instanceof Uint8Array) (after ?? before).push(child);
      else walk(child);
    }
  };
  walk(node);
  return { before, after };
}

function writeHead(tag: number, length: number, out: Uint8Array, start: number): number {
  let at = start;
  out[at++] = tag;
  if (length < 0x80) {
    out[at++] = length;
  } else {
    const size = lengthOfLength(length) - 1;
    out[at++] = 0x80 | size;
    for (let i = size - 1; i >= 0; i--) out[at++] = Math.floor(length / 256 ** i) % 256;
  }
  return at;
}

/** Writes a node tree into one buffer: every leaf is copied exactly once. */
export function encode(node: DerNode): Uint8Array {
  const out = new Uint8Array(totalSize(node));
  writeInto(node, out, 0);
  return out;
}

export function toBytes(block: asn1js.BaseBlock): Uint8Array {
  return new Uint8Array(block.toBER(false));
}

export { concat };

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let difference = 0;
  for (let i = 0; i < a.byteLength; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/** WebCrypto's types want ArrayBuffer-backed views; ours always are, so this copies nothing. */
export function webBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** Lexicographic byte order, for DER SET OF (X.690 §11.6). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.byteLength, b.byteLength);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.byteLength - b.byteLength;
}
