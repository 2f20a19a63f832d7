// Content-Type (RFC 2045 §5.1) with parameters, including quoted strings, comments and RFC 2231
// continuations (`name*0`, `name*1`) so that a boundary split over several lines is still found.
import { decodeRfc2231Value } from './encoded-words.js';

export interface ContentType {
  type: string;
  subtype: string;
  /** `type/subtype`, lower-case. */
  mediaType: string;
  /** Parameter names lower-case; values as written (unquoted). */
  parameters: Record<string, string>;
}

export const defaultContentType: ContentType = {
  type: 'text',
  subtype: 'plain',
  mediaType: 'text/plain',
  parameters: { charset: 'us-ascii' },
};

/** Parses a Content-Type value; an absent or unreadable one means text/plain (RFC 2045 §5.2). */
export function parseContentType(value: string | null): ContentType {
  if (value === null) return defaultContentType;
  const tokens = tokenize(value);
  const media = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\/([!#$%&'*+.^_`|~0-9A-Za-z-]+)$/.exec(tokens[0] ?? '');
  if (!media) return defaultContentType;
  const type = media[1].toLowerCase();
  const subtype = media[2].toLowerCase();
  const pieces: Record<string, { index: number; value: string; extended: boolean }[]> = {};
  for (const token of tokens.slice(1)) {
    const eq = token.indexOf('=');
    if (eq <= 0) continue;
    const rawName = token.slice(0, eq).trim().toLowerCase();
    const rawValue = token.slice(eq + 1).trim();
    const section = /^(.+?)(?:\*(\d+))?(\*)?$/.exec(rawName);
    if (!section) continue;
    const name = section[1];
    (pieces[name] ??= []).push({
      index: section[2] === undefined ? 0 : Number(section[2]),
      value: unquote(rawValue),
      extended: section[3] === '*',
    });
  }
  const parameters: Record<string, string> = {};
  for (const [name, parts] of Object.entries(pieces)) {
    parts.sort((a, b) => a.index - b.index);
    const joined = parts.map((part) => part.value).join('');
    parameters[name] = parts[0].extended ? decodeRfc2231Value(joined) : joined;
  }
  return { type, subtype, mediaType: `${type}/${subtype}`, parameters };
}

/** Splits at `;` outside quoted strings and drops comments (RFC 5322 §3.2.2). */
function tokenize(value: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      current += c;
      if (c === '\\' && i + 1 < value.length) current += value[++i];
      else if (c === '"') quoted = false;
    } else if (comment > 0) {
      if (c === '\\') i++;
      else if (c === '(') comment++;
      else if (c === ')') comment--;
    } else if (c === '"') {
      quoted = true;
      current += c;
    } else if (c === '(') {
      comment++;
    } else if (c === ';') {
      tokens.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  tokens.push(current.trim());
  return tokens.map((token) => token.replace(/\s*=\s*/, '='));
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}
