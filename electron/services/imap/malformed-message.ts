// Says what is wrong with a raw message, so that a malformed one is still shown (raw) with a
// warning instead of failing. Pure and cheap: it reads only the header block and, for a
// multipart, looks for the boundary lines. It never throws, whatever the bytes.

/** RFC 5322 section 2.2: a field name is printable US-ASCII except the colon. */
const fieldLine = /^[\x21-\x39\x3b-\x7e]+:/;

function headerEnd(text: string): { header: string; body: string } {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return { header: text, body: '' };
  if (lf === -1 || (crlf !== -1 && crlf < lf))
    return { header: text.slice(0, crlf), body: text.slice(crlf + 4) };
  return { header: text.slice(0, lf), body: text.slice(lf + 2) };
}

/** Unfolds the header block (RFC 5322 section 2.2.3) and reports lines that are not fields. */
function readFields(header: string, problems: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  let current: string | null = null;
  const lines = header.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === null)
        problems.push('the header starts with a continuation line (RFC 5322 section 2.2.3)');
      else fields.set(current, `${fields.get(current) ?? ''} ${line.trim()}`);
      continue;
    }
    const match = fieldLine.exec(line);
    if (!match) {
      problems.push(`header line ${index + 1} is not a header field (RFC 5322 section 2.2)`);
      current = null;
      continue;
    }
    current = match[0].slice(0, -1).toLowerCase();
    // The first occurrence wins, as RFC 5322 section 3.6 allows only one of the fields that matter here.
    if (!fields.has(current)) fields.set(current, line.slice(match[0].length).trim());
  }
  return fields;
}

function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** RFC 2046 section 5.1.1: a multipart body needs its boundary, and ends with the close delimiter. */
function checkMultipart(contentType: string, body: string, problems: string[]): void {
  if (!/^\s*multipart\//i.test(contentType)) return;
  const boundary = boundaryOf(contentType);
  if (!boundary) {
    problems.push('it is multipart but names no boundary (RFC 2046 section 5.1.1)');
    return;
  }
  const lines = body.split(/\r?\n/).map((line) => line.trimEnd());
  if (!lines.includes(`--${boundary}`))
    problems.push(`its multipart boundary "${boundary}" never appears in the body (RFC 2046 section 5.1.1)`);
  else if (!lines.includes(`--${boundary}--`))
    problems.push('its multipart body has no closing boundary; it may be cut short (RFC 2046 section 5.1.1)');
}

/** An empty list means nothing looked wrong; otherwise each entry says one problem in words. */
export function malformedMessageProblems(raw: Uint8Array): string[] {
  const problems: string[] = [];
  if (raw.byteLength === 0) return ['the message is empty'];
  // latin1 maps every byte to one character, so no byte sequence can make decoding fail.
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  if (text.includes('\0')) problems.push('it contains NUL bytes, which RFC 5322 section 2.3 forbids');
  const { header, body } = headerEnd(text);
  const fields = readFields(header, problems);
  // RFC 5322 section 3.6: Date and From are the two fields every message must have.
  if (!fields.has('from')) problems.push('it has no From field (RFC 5322 section 3.6)');
  if (!fields.has('date')) problems.push('it has no Date field (RFC 5322 section 3.6)');
  const contentType = fields.get('content-type');
  if (contentType !== undefined) checkMultipart(contentType, body, problems);
  return problems;
}
