// Holds a `sealmail://enroll` link that arrived from the OS (a click in the welcome message)
// until the window takes it, and tells an open window at once. The link may come before the
// window exists (it launched the app), hence the pending slot. Only the newest link counts.
import type { OfferedEnrollmentLink } from '../../../core/api/types.js';
import { parseEnrollmentLink } from '../../../core/enrollment/enrollment-link.js';
import { toErrorInfo } from '../../../core/errors.js';
import type { EventBus } from '../event-bus.js';

export type OfferedLink = OfferedEnrollmentLink;

export interface EnrollmentLinks {
  /** From the OS: argv, macOS open-url, or a second start. */
  offer(text: string): OfferedLink;
  /** The window asks once it is ready; the slot empties so a reload does not offer it again. */
  take(): OfferedLink | null;
}

/** The first argument that is a sealmail:// link, as Windows and Linux pass it on the command line. */
export function enrollmentLinkIn(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith('sealmail:')) ?? null;
}

export function createEnrollmentLinks(events: EventBus): EnrollmentLinks {
  let pending: OfferedLink | null = null;
  return {
    offer(text) {
      try {
        pending = { ok: true, link: parseEnrollmentLink(text) };
      } catch (error) {
        pending = { ok: false, error: toErrorInfo(error) };
      }
      events.emit('enrollment.link', pending);
      return pending;
    },
    take() {
      const taken = pending;
      pending = null;
      return taken;
    },
  };
}
