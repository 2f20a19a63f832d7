// Dark and light themes (issue 6): the System/Light/Dark choice is remembered and applied, the
// script that applies it before the first paint agrees with the app's own code, and every text
// colour of both palettes in theme.css reaches WCAG 2.2 AA contrast on the backgrounds it sits on.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  applyThemeChoice,
  chooseTheme,
  savedThemeChoice,
  themeStorageKey,
  type ChoiceStorage,
  type ThemedRoot,
} from '../../renderer/src/theme/theme-choice.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function storage(initial: Record<string, string> = {}): ChoiceStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const unavailable: ChoiceStorage = {
  getItem: () => {
    throw new Error('SecurityError: storage is disabled');
  },
  setItem: () => {
    throw new Error('SecurityError: storage is disabled');
  },
  removeItem: () => {
    throw new Error('SecurityError: storage is disabled');
  },
};

const root = (): ThemedRoot => ({ dataset: {} });

describe('the theme choice', () => {
  it('is System until the user picks one, and then what they picked', () => {
    const saved = storage();
    expect(savedThemeChoice(saved)).toBe('system');
    const page = root();
    chooseTheme(saved, page, 'dark');
    expect(page.dataset.theme).toBe('dark');
    expect(savedThemeChoice(saved)).toBe('dark');
    chooseTheme(saved, page, 'light');
    expect(page.dataset.theme).toBe('light');
    expect(savedThemeChoice(saved)).toBe('light');
  });

  it('System removes the pin, so prefers-color-scheme decides again', () => {
    const saved = storage({ [themeStorageKey]: 'dark' });
    const page = root();
    applyThemeChoice(page, savedThemeChoice(saved));
    chooseTheme(saved, page, 'system');
    expect(page.dataset.theme).toBeUndefined();
    expect(saved.items.has(themeStorageKey)).toBe(false);
  });

  it('an unknown saved value or unavailable storage means System, and choosing still applies', () => {
    expect(savedThemeChoice(storage({ [themeStorageKey]: 'solarized' }))).toBe('system');
    expect(savedThemeChoice(unavailable)).toBe('system');
    const page = root();
    chooseTheme(unavailable, page, 'dark');
    expect(page.dataset.theme).toBe('dark');
  });
});

describe('the script that applies the choice before the first paint', () => {
  const source = readFileSync(join(repoRoot, 'renderer', 'public', 'theme-before-paint.js'), 'utf8');

  /** Runs the classic script as the page would, with this storage and a fresh <html>. */
  function runScript(saved: ChoiceStorage): ThemedRoot {
    const html = root();
    const run = new Function('window', 'document', source) as (window: unknown, document: unknown) => void;
    run({ localStorage: saved }, { documentElement: html });
    return html;
  }

  it.each([
    [{}],
    [{ [themeStorageKey]: 'light' }],
    [{ [themeStorageKey]: 'dark' }],
    [{ [themeStorageKey]: 'bogus' }],
  ])('does what the app does with %o', (initial) => {
    const byApp = root();
    applyThemeChoice(byApp, savedThemeChoice(storage(initial)));
    expect(runScript(storage(initial)).dataset).toEqual(byApp.dataset);
  });

  it('leaves the system scheme in charge when storage is unavailable', () => {
    expect(runScript(unavailable).dataset).toEqual({});
  });

  it('is linked from index.html as a classic script, before any module or stylesheet', () => {
    const html = readFileSync(join(repoRoot, 'renderer', 'index.html'), 'utf8');
    const tag = '<script src="/theme-before-paint.js"></script>';
    expect(html).toContain(tag);
    const later = [html.indexOf('type="module"'), html.indexOf('rel="stylesheet"')].filter((at) => at >= 0);
    for (const at of later) expect(html.indexOf(tag)).toBeLessThan(at);
  });
});

describe('contrast of both palettes (WCAG 2.2, 1.4.3 and 1.4.11)', () => {
  const css = readFileSync(join(repoRoot, 'renderer', 'src', 'theme.css'), 'utf8');
  const palette = { light: new Map<string, string>(), dark: new Map<string, string>() };
  for (const [, name, light, dark] of css.matchAll(
    /--([a-z-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/gi,
  )) {
    palette.light.set(name!, light!);
    palette.dark.set(name!, dark!);
  }

  /** Relative luminance (WCAG 2.2, "relative luminance"). */
  function luminance(hex: string): number {
    const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
    const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  }

  function contrast(a: string, b: string): number {
    const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (lighter! + 0.05) / (darker! + 0.05);
  }

  const texts = ['fg', 'fg-muted', 'accent', 'ok-fg', 'warn-fg', 'error-fg'];
  const surfaces = ['bg', 'bg-pane', 'bg-hover', 'bg-active'];
  const pairs: Array<[string, string, number]> = [
    ...texts.flatMap((text) => surfaces.map((surface): [string, string, number] => [text, surface, 4.5])),
    ['warn-fg', 'warn-bg', 4.5],
    ['error-fg', 'error-bg', 4.5],
    ['accent-fg', 'accent', 4.5],
    // The focus ring is not text: 3:1 against what it is drawn on (1.4.11).
    ['focus', 'bg', 3],
    ['focus', 'bg-pane', 3],
  ];

  it('defines every colour for both themes', () => {
    const needed = new Set(pairs.flatMap(([text, surface]) => [text, surface]));
    for (const name of needed) {
      expect(palette.light.get(name), name).toMatch(/^#/);
      expect(palette.dark.get(name), name).toMatch(/^#/);
    }
    expect(palette.light.get('bg')).not.toBe(palette.dark.get('bg'));
  });

  it.each(['light', 'dark'] as const)('every pair reaches its minimum in the %s theme', (theme) => {
    const colours = palette[theme];
    const failing = pairs
      .map(([text, surface, minimum]) => ({
        pair: `${text} on ${surface}`,
        ratio: Math.round(contrast(colours.get(text)!, colours.get(surface)!) * 100) / 100,
        minimum,
      }))
      .filter(({ ratio, minimum }) => ratio < minimum);
    expect(failing).toEqual([]);
  });
});
