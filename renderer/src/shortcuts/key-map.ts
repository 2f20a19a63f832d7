// The keyboard shortcuts, as a pure map from a key press to what the user wants done. The keys
// are the ones people bring from other mail clients (Gmail and Thunderbird: N/Ctrl+N new, R reply,
// Shift+R or A reply all, F forward, J/K next/previous, Delete or # delete, ? help); the window
// decides whether a press counts at all (shortcut-target.ts: not while typing or in a dialog).

export type ShortcutAction =
  'compose' | 'reply' | 'reply-all' | 'forward' | 'next' | 'previous' | 'delete' | 'help';

/** The parts of a KeyboardEvent the map reads. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** Held down: only moving between messages repeats; nobody means to delete ten by holding Delete. */
  repeat: boolean;
  /** Inside an input method's composition (CJK input): the key belongs to the IME. */
  isComposing: boolean;
}

export interface ShortcutHelp {
  /** Each alternative, as the keys to press, e.g. [['Shift', 'R'], ['A']]. */
  keys: string[][];
  what: string;
}

/** What the help dialog lists, in the order people look for them. */
export const shortcutHelp: readonly ShortcutHelp[] = [
  { keys: [['N'], ['Ctrl', 'N']], what: 'New message' },
  { keys: [['R']], what: 'Reply' },
  { keys: [['Shift', 'R'], ['A']], what: 'Reply all' },
  { keys: [['F']], what: 'Forward' },
  { keys: [['J']], what: 'Open the next message' },
  { keys: [['K']], what: 'Open the previous message' },
  { keys: [['↓'], ['↑']], what: 'Move through the list (Enter opens)' },
  { keys: [['Delete'], ['#']], what: 'Move the open message to Trash' },
  { keys: [['?']], what: 'Show these shortcuts' },
];

const repeatable: ReadonlySet<ShortcutAction> = new Set(['next', 'previous']);

/** The action a key press asks for, or null when it is not a shortcut. */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  if (press.isComposing) return null;
  const action = actionOf(press);
  if (action === null || (press.repeat && !repeatable.has(action))) return null;
  return action;
}

function actionOf(press: KeyPress): ShortcutAction | null {
  const { key, ctrlKey, metaKey, altKey, shiftKey } = press;
  if (altKey) return null;
  // Ctrl+N on Windows and Linux, Cmd+N on macOS. Any other Ctrl/Cmd chord stays the system's
  // (Ctrl+R, Ctrl+F, Cmd+A…), so no shortcut here takes away a key the user relies on.
  if (ctrlKey || metaKey) {
    return key.toLowerCase() === 'n' && !shiftKey && ctrlKey !== metaKey ? 'compose' : null;
  }
  // '?', '#' are typed with Shift on most layouts: the character decides, not the Shift key.
  if (key === '?') return 'help';
  if (key === '#' || key === 'Delete') return 'delete';
  // Caps Lock gives 'R' without Shift: that is still Reply; Shift+R is Reply all.
  switch (key.toLowerCase()) {
    case 'n':
      return shiftKey ? null : 'compose';
    case 'r':
      return shiftKey ? 'reply-all' : 'reply';
    case 'a':
      return shiftKey ? null : 'reply-all';
    case 'f':
      return shiftKey ? null : 'forward';
    case 'j':
      return shiftKey ? null : 'next';
    case 'k':
      return shiftKey ? null : 'previous';
    default:
      return null;
  }
}
