// Asserting parse helpers for untrusted ASN.1 (a received CMS object, a certificate from a
// message). Every parse goes through here, so that limits are always set (see limits.ts) and
// every failure becomes a coded SealmailError that names what was wrong, never a stray
// TypeError from deep inside pkijs.
import * as asn1js from 'asn1js';
import { SealmailError, type ErrorCode } from '../errors.js';
import type { Asn1Limits } from './limits.js';

/** Parses one complete BER/DER value; trailing bytes are an error (they could hide content). */
export function parseBer(
  bytes: Uint8Array,
  limits: Asn1Limits,
  what: string,
  code: ErrorCode,
): asn1js.AsnType {
  if (bytes.byteLength === 0) throw new SealmailError(code, `${what} is empty.`);
  // copyInput: false: the input is ours and never mutated, so a 25 MB message is not copied.
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(bytes, { ...limits, copyInput: false });
  } catch (error) {
    // asn1js throws (rather than reporting) on some malformed values, e.g. a broken
    // GeneralizedTime; found by test/unit/smime-fuzz.test.ts.
    throw new SealmailError(
      code,
      `${what} cannot be read: ${error instanceof Error ? error.message : String(error)}.`,
      {
        cause: error,
      },
    );
  }
  if (parsed.offset === -1) {
    const detail = parsed.result.error || 'not valid ASN.1';
    throw new SealmailError(code, `${what} cannot be read: ${detail}.`);
  }
  if (parsed.offset !== bytes.byteLength) {
    throw new SealmailError(
      code,
      `${what} has ${bytes.byteLength - parsed.offset} unexpected bytes after its end.`,
    );
  }
  return parsed.result;
}

/**
 * Builds a pkijs object from a parsed ASN.1 value. pkijs throws plain Errors on a schema
 * mismatch; this turns them into the caller's code.
 */
export function decodeSchema<T>(
  build: (schema: asn1js.AsnType) => T,
  schema: asn1js.AsnType,
  what: string,
  code: ErrorCode,
): T {
  try {
    return build(schema);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SealmailError(code, `${what} does not have the expected structure: ${detail}`, {
      cause: error,
    });
  }
}

type Constructor<T> = abstract new (...args: never[]) => T;

/** Asserts that an ASN.1 value is of the expected asn1js class. */
export function assertAsn1Type<T>(
  value: unknown,
  type: Constructor<T>,
  what: string,
  code: ErrorCode,
): asserts value is T {
  if (!(value instanceof type)) {
    throw new SealmailError(code, `${what} has the wrong ASN.1 type.`);
  }
}

/** Asserts a condition about untrusted input; the message says what was wrong. */
export function assertInput(condition: unknown, code: ErrorCode, message: string): asserts condition {
  if (!condition) throw new SealmailError(code, message);
}

/** A view of an ArrayBuffer-backed value as bytes, without copying. */
export function viewOf(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer);
}

/** A fresh ArrayBuffer holding exactly `bytes` (pkijs and WebCrypto want whole buffers). */
export function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes.buffer;
  }
  return bytes.slice().buffer;
}
