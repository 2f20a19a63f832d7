// The keyboard shortcuts (issue 6): which key press means what, when a press is typing rather than
// a command, and which message J, K and Delete lead to. Pure functions, no DOM.
import { describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../core/api/types.js';
import { shortcutFor, shortcutHelp, type KeyPress } from '../../renderer/src/shortcuts/key-map.js';
import { dialogIsOpen, isTypingInto } from '../../renderer/src/shortcuts/shortcut-target.js';
import {
  neighbourOf,
  shownAfterDeleting,
  type ShownList,
} from '../../renderer/src/shortcuts/neighbour-message.js';

function press(key: string, held: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress {
  return {
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    repeat: false,
    isComposing: false,
    ...held,
  };
}

describe('the key map', () => {
  it.each([
    [press('n'), 'compose'],
    [press('n', { ctrlKey: true }), 'compose'],
    [press('N', { metaKey: true }), 'compose'],
    [press('r'), 'reply'],
    [press('R'), 'reply'], // Caps Lock: still Reply
    [press('R', { shiftKey: true }), 'reply-all'],
    [press('a'), 'reply-all'],
    [press('f'), 'forward'],
    [press('j'), 'next'],
    [press('k'), 'previous'],
    [press('Delete'), 'delete'],
    [press('#', { shiftKey: true }), 'delete'],
    [press('?', { shiftKey: true }), 'help'],
  ] as const)('%o → %s', (keyPress, action) => {
    expect(shortcutFor(keyPress)).toBe(action);
  });

  it.each([
    ['Ctrl+R (reload)', press('r', { ctrlKey: true })],
    ['Ctrl+F (find)', press('f', { ctrlKey: true })],
    ['Cmd+A (select all)', press('a', { metaKey: true })],
    ['Ctrl+Shift+N', press('N', { ctrlKey: true, shiftKey: true })],
    ['Ctrl+Cmd+N', press('n', { ctrlKey: true, metaKey: true })],
    ['Alt+R', press('r', { altKey: true })],
    ['Shift+J', press('J', { shiftKey: true })],
    ['Shift+A', press('A', { shiftKey: true })],
    ['an unmapped letter', press('x')],
    ['Backspace', press('Backspace')],
    ['Enter (the list opens the active row itself)', press('Enter')],
    ['ArrowDown (the list moves itself)', press('ArrowDown')],
    ['a key inside an IME composition', press('r', { isComposing: true })],
  ])('leaves %s alone', (_what, keyPress) => {
    expect(shortcutFor(keyPress)).toBeNull();
  });

  it('repeats J and K while held, but never delete, compose or reply', () => {
    expect(shortcutFor(press('j', { repeat: true }))).toBe('next');
    expect(shortcutFor(press('k', { repeat: true }))).toBe('previous');
    for (const key of ['Delete', '#', 'n', 'r', 'a', 'f', '?'])
      expect(shortcutFor(press(key, { repeat: true })), key).toBeNull();
  });

  it('the help lists every action once, and each listed single key does what it says', () => {
    const said = shortcutHelp.map((shortcut) => shortcut.what);
    expect(new Set(said).size).toBe(said.length);
    const single = (key: string) => shortcutFor(press(key.length === 1 ? key.toLowerCase() : key));
    expect(single('N')).toBe('compose');
    expect(single('R')).toBe('reply');
    expect(single('A')).toBe('reply-all');
    expect(single('F')).toBe('forward');
    expect(single('J')).toBe('next');
    expect(single('K')).toBe('previous');
    expect(single('Delete')).toBe('delete');
    expect(single('?')).toBe('help');
    expect(said).toEqual(expect.arrayContaining(['New message', 'Reply', 'Reply all', 'Forward']));
  });
});

describe('typing is not a shortcut', () => {
  const element = (
    tagName: string,
    extra: Partial<{ type: string; isContentEditable: boolean; role: string }> = {},
  ) => ({
    tagName,
    type: extra.type,
    isContentEditable: extra.isContentEditable ?? false,
    getAttribute: (name: string) => (name === 'role' ? (extra.role ?? null) : null),
  });

  it.each([
    ['a text input (the subject)', element('INPUT')],
    ['an e-mail input', element('INPUT', { type: 'email' })],
    ['a search input', element('INPUT', { type: 'search' })],
    ['a password input', element('INPUT', { type: 'password' })],
    ['a textarea (the message)', element('TEXTAREA')],
    ['a select', element('SELECT')],
    ['a contenteditable', element('DIV', { isContentEditable: true })],
    ['a custom text box', element('DIV', { role: 'textbox' })],
    ['a combobox', element('DIV', { role: 'combobox' })],
  ])('typing in %s', (_what, thing) => {
    expect(isTypingInto(thing)).toBe(true);
  });

  it.each([
    ['nothing focused', null],
    ['the message list', element('DIV', { role: 'listbox' })],
    ['a button', element('BUTTON')],
    ['a checkbox', element('INPUT', { type: 'checkbox' })],
    ['the body', element('BODY')],
  ])('not typing on %s', (_what, thing) => {
    expect(isTypingInto(thing)).toBe(false);
  });

  it('an open dialog takes the keys; a closed <dialog> in the page does not', () => {
    const documentWith = (selectorsThatMatch: string[]) => ({
      querySelector: (selectors: string) =>
        selectors.split(',').some((selector) => selectorsThatMatch.includes(selector.trim()))
          ? ({} as Element)
          : null,
    });
    expect(dialogIsOpen(documentWith(['dialog[open]']))).toBe(true);
    expect(dialogIsOpen(documentWith(['[role="alertdialog"]']))).toBe(true);
    expect(dialogIsOpen(documentWith(['[aria-modal="true"]']))).toBe(true);
    expect(dialogIsOpen(documentWith(['dialog']))).toBe(false);
    expect(dialogIsOpen(documentWith([]))).toBe(false);
  });
});

describe('J, K and Delete move through the list as shown (newest first)', () => {
  const summary = (uid: number): MessageSummary => ({
    uid,
    from: 'bob@example.test',
    to: ['alice@example.test'],
    subject: `Message ${uid}`,
    date: '2026-11-23T10:00:00.000Z',
    flags: [],
    size: 100,
    security: 'none',
    hasAttachments: false,
  });
  /** uids 5, 4, 3, 2, 1 at rows 0…4; `missing` rows are not loaded yet. */
  const list = (missing: number[] = []): ShownList => ({
    total: 5,
    at: (index) => (index >= 0 && index < 5 && !missing.includes(index) ? summary(5 - index) : undefined),
  });

  it('J opens the row below, K the row above', () => {
    expect(neighbourOf(list(), 4, 1)?.uid).toBe(3);
    expect(neighbourOf(list(), 4, -1)?.uid).toBe(5);
  });

  it('stops at either end rather than wrapping around', () => {
    expect(neighbourOf(list(), 1, 1)).toBeUndefined();
    expect(neighbourOf(list(), 5, -1)).toBeUndefined();
  });

  it('with nothing open (or the open message gone), J and K start at the top', () => {
    expect(neighbourOf(list(), null, 1)?.uid).toBe(5);
    expect(neighbourOf(list(), null, -1)?.uid).toBe(5);
    expect(neighbourOf(list(), 99, 1)?.uid).toBe(5);
    expect(neighbourOf({ total: 0, at: () => undefined }, null, 1)).toBeUndefined();
  });

  it('opens nothing when the next row is not loaded yet', () => {
    expect(neighbourOf(list([2]), 4, 1)).toBeUndefined();
  });

  it('after Delete the message below opens, or the one above at the end, or none', () => {
    expect(shownAfterDeleting(list(), 4)?.uid).toBe(3);
    expect(shownAfterDeleting(list(), 1)?.uid).toBe(2);
    const single: ShownList = { total: 1, at: (index) => (index === 0 ? summary(7) : undefined) };
    expect(shownAfterDeleting(single, 7)).toBeUndefined();
  });
});
