// RFC 2047 encoded words (`=?utf-8?B?...?=`) and RFC 2231 extended parameter values, decoded for
// DISPLAY only. Security decisions (From against the signer) use the addr-spec, which RFC 2047
// §5 forbids encoding, so nothing here feeds a trust decision.

function decodeCharset(charset: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(charset.toLowerCase(), { fatal: false }).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function percentOrQBytes(text: string, marker: '%' | '='): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === marker && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (marker === '=' && c === '_') {
      out.push(0x20); // RFC 2047 §4.2 (2)
    } else {
      out.push(c.charCodeAt(0) & 0xff);
    }
  }
  return new Uint8Array(out);
}

function base64Bytes(text: string): Uint8Array {
  try {
    const binary = atob(text.replace(/[^A-Za-z0-9+/=]/g, ''));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return new Uint8Array(0);
  }
}

const encodedWord = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** Decodes the encoded words in an unstructured header value (RFC 2047 §6). */
export function decodeEncodedWords(value: string): string {
  // §6.2: whitespace between two adjacent encoded words is not displayed.
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(encodedWord, (_match, charset: string, encoding: string, text: string) => {
    const name = charset.split('*')[0]; // RFC 2231 §5 language suffix
    const bytes = encoding.toUpperCase() === 'B' ? base64Bytes(text) : percentOrQBytes(text, '=');
    return decodeCharset(name, bytes);
  });
}

/** RFC 2231 §4: `charset'language'percent-encoded`. */
export function decodeRfc2231Value(value: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match) return decodeCharset('utf-8', percentOrQBytes(value, '%'));
  return decodeCharset(match[1] || 'us-ascii', percentOrQBytes(match[2], '%'));
}
