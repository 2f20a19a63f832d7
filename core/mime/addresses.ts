// Mailbox addresses from From and Sender (RFC 5322 §3.4), reduced to their addr-spec. The
// signer check compares addr-spec with addr-spec and never looks at the display name, so
// `"alice@example.org" <mallory@evil.test>` is mallory (attack class I2, "Johnny, You Are Fired").

export interface Mailbox {
  /** `local@domain`, the domain lower-cased (RFC 5321 §2.4: domains are case-insensitive). */
  address: string;
  /** The display name as written, for display only. */
  displayName: string;
}

/** Removes comments (RFC 5322 §3.2.2) outside quoted strings; they can hide nothing. */
function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      out += c;
      if (c === '\\' && i + 1 < value.length) out += value[++i];
      else if (c === '"') quoted = false;
    } else if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    } else if (c === '(') depth++;
    else {
      if (c === '"') quoted = true;
      out += c;
    }
  }
  return out;
}

/** Splits at commas outside quoted strings and angle brackets; groups are flattened. */
function splitMailboxes(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      current += c;
      if (c === '\\' && i + 1 < value.length) current += value[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
    else if (!angle && (c === ',' || c === ';')) {
      items.push(current);
      current = '';
      continue;
    } else if (!angle && c === ':') {
      // RFC 5322 §3.4 group: "name: a@b, c@d;" — drop the group name.
      current = '';
      continue;
    }
    current += c;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
}

function normalizeAddrSpec(spec: string): string | null {
  const trimmed = spec.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  let local = trimmed.slice(0, at).trim();
  const domain = trimmed
    .slice(at + 1)
    .trim()
    .toLowerCase();
  if (/[\s<>,;:"]/.test(domain) || domain.includes('@')) return null;
  // A quoted local part that needs no quoting is the same mailbox (RFC 5322 §3.4.1).
  if (local.startsWith('"') && local.endsWith('"') && local.length >= 2) {
    const inner = local.slice(1, -1).replace(/\\(.)/g, '$1');
    local = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(inner) ? inner : `"${inner}"`;
  } else if (/[\s<>,;:"@]/.test(local)) {
    return null;
  }
  return `${local}@${domain}`;
}

/** Every mailbox in an address-list header value; unreadable entries are left out. */
export function parseMailboxList(value: string): Mailbox[] {
  const mailboxes: Mailbox[] = [];
  for (const item of splitMailboxes(stripComments(value))) {
    const open = item.lastIndexOf('<');
    const close = item.lastIndexOf('>');
    if (open !== -1 && close > open) {
      const address = normalizeAddrSpec(item.slice(open + 1, close).replace(/^@[^:]*:/, ''));
      if (address) mailboxes.push({ address, displayName: item.slice(0, open).trim().replace(/^"|"$/g, '') });
    } else {
      const address = normalizeAddrSpec(item);
      if (address) mailboxes.push({ address, displayName: '' });
    }
  }
  return mailboxes;
}

/**
 * Two addr-specs name the same mailbox when their domains match case-insensitively and their
 * local parts match. Local parts are case-sensitive in theory (RFC 5321 §2.4), but certificate
 * authorities and every mail system Sealmail talks to treat them case-insensitively.
 */
export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
