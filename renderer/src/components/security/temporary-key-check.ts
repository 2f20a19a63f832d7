// The temporary key's form, checked as it is typed (issue 6), with core's own rules
// (core/enrollment/temporary-key.ts), so a typo is named before the KM is contacted and before a
// rate-limited attempt is spent (seed 003 gives a key that works once).
import { SealmailError } from '../../../../core/errors.js';
import { normalizeTemporaryKey, temporaryKeyAlphabet } from '../../../../core/enrollment/temporary-key.js';

export const temporaryKeyLength = 24;

export type TemporaryKeyCheck =
  | { state: 'empty' }
  /** Still being typed: every character so far can occur; not yet an error. */
  | { state: 'typing'; message: string }
  | { state: 'problem'; message: string }
  | { state: 'looks-right'; normalized: string; message: string };

/**
 * `finished`: the user asked to go on, so a short key is a problem rather than work in progress.
 */
export function checkTemporaryKey(typed: string, finished = false): TemporaryKeyCheck {
  const characters = typed.toUpperCase().replace(/[\s-]/g, '');
  if (characters.length === 0) return { state: 'empty' };
  try {
    const normalized = normalizeTemporaryKey(typed);
    return { state: 'looks-right', normalized, message: 'The key looks right.' };
  } catch (error) {
    const message = error instanceof SealmailError ? error.message : String(error);
    const allPossible = [...characters].every((character) => temporaryKeyAlphabet.includes(character));
    if (!finished && allPossible && characters.length < temporaryKeyLength)
      return {
        state: 'typing',
        message: `${characters.length} of ${temporaryKeyLength} characters so far.`,
      };
    return { state: 'problem', message };
  }
}
