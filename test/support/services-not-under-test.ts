// For stand-in AppServices in transport and list tests: the service groups a test does not
// exercise. Each call fails loudly with the group's name, so a test that strays into one shows it.
import { SealmailError } from '../../core/errors.js';
import { builtInPolicy } from '../../core/policy/effective-policy.js';
import type { AppServices } from '../../electron/services/app-services.js';
import { createEnrollmentLinks } from '../../electron/services/enrollment/enrollment-links.js';
import type { EventBus } from '../../electron/services/event-bus.js';

export function notUnderTest<T extends object>(group: string): T {
  return new Proxy({} as T, {
    get: (_target, method) => async () => {
      throw new SealmailError('INTERNAL', `${group}.${String(method)} is not part of this test`);
    },
  });
}

/** security, files, remote content and enrollment links unused; the built-in policy, as a user with none has. */
export function securityNotUnderTest(
  events: EventBus,
): Pick<AppServices, 'security' | 'policy' | 'files' | 'remoteContent' | 'enrollmentLinks'> {
  return {
    security: notUnderTest('security'),
    policy: { current: async () => builtInPolicy() },
    files: notUnderTest('files'),
    remoteContent: notUnderTest('remoteContent'),
    enrollmentLinks: createEnrollmentLinks(events),
  };
}
