// CSS in mail can fetch too: url() in a style attribute or a <style> element, @import, and the
// quoted URLs of image-set(). The frame's CSP blocks all of them; this takes them out before the
// frame ever sees them, so that no fetch is even attempted and the reader can say how many
// were blocked. cid: references (RFC 2392) become the message's own images.

export interface CleanCss {
  css: string;
  /** How many remote references were taken out. */
  removed: number;
}

const remoteAddress = /^\s*(https?:|\/\/|ftp:)/i;

export function withoutRemoteCss(css: string, inlineImages: Record<string, string>): CleanCss {
  let removed = 0;
  const clean = css
    // @import loads a whole style sheet; nothing in a message may (CSS Cascade 4, section 2).
    .replace(/@import\b[^;]*;?/gi, () => {
      removed++;
      return '';
    })
    .replace(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi, (whole, _quote: string, target: string) => {
      const address = target.trim();
      if (/^data:/i.test(address)) return whole;
      const inline = /^cid:/i.test(address) ? inlineImages[address.slice(4)] : undefined;
      if (inline !== undefined) return `url("${inline}")`;
      if (remoteAddress.test(address)) removed++;
      return 'none';
    })
    // image-set("https://…" 1x) names images by quoted string, without url().
    .replace(/(['"])\s*(https?:|\/\/|ftp:)[^'"]*\1/gi, () => {
      removed++;
      return '""';
    });
  return { css: clean, removed };
}
