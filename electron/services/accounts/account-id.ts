// An account id is derived from the name the user gave ("Work mail" -> "work-mail") so that it is
// readable in the keychain and in logs, and made unique by a numeric suffix.
export function accountIdFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      // NFKD splits "É" into "E" and a combining accent; dropping the marks keeps the letter.
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 60)
      .replace(/^-+|-+$/g, '') || 'account';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
