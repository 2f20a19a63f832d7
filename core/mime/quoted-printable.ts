// Quoted-printable decoding (RFC 2045 §6.7), lenient as §6.7 (note 1) recommends: an `=` not
// followed by two hex digits is kept as it is.
export function decodeQuotedPrintable(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let o = 0;
  const hex = (c: number) =>
    c >= 0x30 && c <= 0x39
      ? c - 0x30
      : c >= 0x41 && c <= 0x46
        ? c - 0x37
        : c >= 0x61 && c <= 0x66
          ? c - 0x57
          : -1;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x3d) {
      out[o++] = c;
      continue;
    }
    // Soft line break: `=` then optional whitespace then CRLF or LF (§6.7 rule 5).
    let j = i + 1;
    while (bytes[j] === 0x20 || bytes[j] === 0x09) j++;
    if (bytes[j] === 0x0d && bytes[j + 1] === 0x0a) {
      i = j + 1;
      continue;
    }
    if (bytes[j] === 0x0a) {
      i = j;
      continue;
    }
    const high = hex(bytes[i + 1]);
    const low = hex(bytes[i + 2]);
    if (high >= 0 && low >= 0) {
      out[o++] = (high << 4) | low;
      i += 2;
    } else {
      out[o++] = c;
    }
  }
  return out.subarray(0, o);
}
