// Header fields of a message or entity (RFC 5322 §2.2). Values are unfolded (§2.2.3) for
// reading; `raw` keeps each field's exact bytes so that a message can be rebuilt with its
// headers untouched (issue 3: `seal` keeps the input's headers).
import { SealmailError } from '../errors.js';
import { CR, LF, decodeHeaderText } from './message-bytes.js';

export interface HeaderField {
  /** The name as written. */
  name: string;
  /** Lower-case name, for lookups (field names are case-insensitive, RFC 5322 §1.2.2). */
  key: string;
  /** The unfolded value with surrounding whitespace trimmed. */
  value: string;
  /** The field's exact bytes, folded lines and final line break included. */
  raw: Uint8Array;
}

const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;

export function parseHeaderBlock(header: Uint8Array): HeaderField[] {
  const fields: HeaderField[] = [];
  let start = 0;
  while (start < header.length) {
    // A field runs until a line break that is not followed by whitespace (a fold).
    let end = start;
    for (;;) {
      const lf = header.indexOf(LF, end);
      end = lf === -1 ? header.length : lf + 1;
      if (end >= header.length) break;
      const next = header[end];
      if (next !== SPACE && next !== TAB) break;
    }
    const raw = header.subarray(start, end);
    const colon = raw.indexOf(COLON);
    const isMboxLine = start === 0 && raw[0] === 0x46 && decodeHeaderText(raw.subarray(0, 5)) === 'From ';
    if (!isMboxLine) {
      if (colon <= 0) {
        throw new SealmailError(
          'MALFORMED_MESSAGE',
          `This is not an RFC 5322 message: header line ${fields.length + 1} has no field name.`,
        );
      }
      const name = decodeHeaderText(raw.subarray(0, colon)).trim();
      const value = unfold(raw.subarray(colon + 1));
      fields.push({ name, key: name.toLowerCase(), value, raw });
    }
    start = end;
  }
  return fields;
}

/** RFC 5322 §2.2.3: unfolding removes each CRLF that is followed by whitespace. */
function unfold(bytes: Uint8Array): string {
  let text = decodeHeaderText(bytes);
  if (text.includes('\n')) text = text.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '');
  return text.replace(/[\r\n]+$/, '').trim();
}

export function headerValues(fields: readonly HeaderField[], name: string): string[] {
  const key = name.toLowerCase();
  return fields.filter((field) => field.key === key).map((field) => field.value);
}

export function headerValue(fields: readonly HeaderField[], name: string): string | null {
  return headerValues(fields, name)[0] ?? null;
}

/** True for the fields that describe the MIME entity rather than the message (RFC 2045 §9). */
export function isContentField(field: HeaderField): boolean {
  return field.key.startsWith('content-') || field.key === 'mime-version';
}

/** Does the header block end its last field with a line break? (Needed before appending.) */
export function endsWithLineBreak(bytes: Uint8Array): boolean {
  return bytes.length === 0 || bytes[bytes.length - 1] === LF || bytes[bytes.length - 1] === CR;
}
