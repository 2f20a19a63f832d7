// External links leave Sealmail only through the safe shell: https, http and mailto, nothing else.
import { describe, expect, it } from 'vitest';
import { createSafeShell } from '../../electron/main/safe-shell.js';
import { SealmailError } from '../../core/errors.js';

function shellThatRecords() {
  const opened: string[] = [];
  return { opened, links: createSafeShell({ openExternal: async (url) => void opened.push(url) }) };
}

describe('safe shell', () => {
  it('opens web pages and new mail', async () => {
    const { opened, links } = shellThatRecords();
    await links.openExternal('https://example.org/path');
    await links.openExternal('http://example.org');
    await links.openExternal('mailto:bob@example.test?subject=Hi');
    expect(opened).toEqual([
      'https://example.org/path',
      'http://example.org/',
      'mailto:bob@example.test?subject=Hi',
    ]);
  });

  it.each([
    'file:///usr/bin/xcalc',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'smb://host/share',
    'vbscript:x',
  ])('refuses %s with INVALID_REQUEST naming the scheme, and opens nothing', async (url) => {
    const { opened, links } = shellThatRecords();
    const refusal = await links.openExternal(url).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SealmailError);
    expect((refusal as SealmailError).code).toBe('INVALID_REQUEST');
    expect((refusal as SealmailError).message).toContain(new URL(url).protocol);
    expect(opened).toEqual([]);
  });

  it('refuses text that is not a URL', async () => {
    const { links } = shellThatRecords();
    await expect(links.openExternal('example.org')).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('is not a URL'),
    });
  });
});
