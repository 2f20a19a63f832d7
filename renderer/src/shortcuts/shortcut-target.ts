// Whether a key press may be a shortcut at all. Letters typed into a field are text, never
// commands (typing "r" in a subject must not start a reply), and while a dialog is open its
// keys are its own (WAI-ARIA APG, dialog pattern: the window behind it is inert).

/** The parts of an element this check reads; a DOM Element has them all. */
export interface FocusedThing {
  tagName: string;
  isContentEditable?: boolean;
  /** An <input>'s type ("text", "checkbox"…). */
  type?: string;
  /** The ARIA role, for custom text boxes such as role="textbox" or "combobox". */
  getAttribute?(name: string): string | null;
}

/** Inputs that take no typed text: a letter pressed on them can be a shortcut. */
const notTyping = new Set([
  'button',
  'checkbox',
  'radio',
  'range',
  'color',
  'file',
  'submit',
  'reset',
  'image',
]);
const typingRoles = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);

/** True when keys pressed on `thing` are the user typing (or choosing in a <select>). */
export function isTypingInto(thing: FocusedThing | null): boolean {
  if (thing === null) return false;
  const tag = thing.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !notTyping.has((thing.type ?? 'text').toLowerCase());
  if (thing.isContentEditable === true) return true;
  const role = thing.getAttribute?.('role');
  return role != null && typingRoles.has(role);
}

/** True when a dialog is open in `document`: a <dialog open> or an element with role dialog. */
export function dialogIsOpen(document: Pick<Document, 'querySelector'>): boolean {
  return (
    document.querySelector('dialog[open], [role="dialog"], [role="alertdialog"], [aria-modal="true"]') !==
    null
  );
}
