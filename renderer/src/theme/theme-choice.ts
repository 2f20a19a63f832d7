// System, Light or Dark. "System" follows prefers-color-scheme (theme.css's light-dark() colours
// pick by the root's color-scheme); Light and Dark pin it with data-theme on <html>. The choice
// lives in localStorage, and public/theme-before-paint.js applies it before the first paint, so a
// Dark window on a light system never flashes white. Keep the key and values in step with that
// script (test/unit/renderer-theme.test.ts runs both).

export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];

export const themeStorageKey = 'sealmail.theme';

/** What the choice reads and writes; window.localStorage has it. */
export type ChoiceStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What the choice is applied to: document.documentElement. */
export interface ThemedRoot {
  dataset: DOMStringMap;
}

function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (themeChoices as readonly string[]).includes(value);
}

/** The saved choice; 'system' when none was saved, the value is unknown, or storage is unavailable. */
export function savedThemeChoice(storage: ChoiceStorage): ThemeChoice {
  try {
    const saved = storage.getItem(themeStorageKey);
    return isThemeChoice(saved) ? saved : 'system';
  } catch {
    // Storage can be disabled; the system's scheme is the sensible fallback.
    return 'system';
  }
}

/** Pins Light or Dark on the root, or lets the system decide. */
export function applyThemeChoice(root: ThemedRoot, choice: ThemeChoice): void {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** Remembers the choice (nothing stored for 'system', the default) and applies it. */
export function chooseTheme(storage: ChoiceStorage, root: ThemedRoot, choice: ThemeChoice): void {
  try {
    if (choice === 'system') storage.removeItem(themeStorageKey);
    else storage.setItem(themeStorageKey, choice);
  } catch {
    // Not remembered across restarts, but still applied now.
  }
  applyThemeChoice(root, choice);
}
