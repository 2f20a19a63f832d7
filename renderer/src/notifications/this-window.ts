// The new-mail notifications of this window: the real Notification API and localStorage, a click
// that brings the window forward, and a fresh count once the user is back at the window.
import { NewMailAlerts, type NewMailAlertsOptions } from './new-mail-alerts.js';

export function newMailAlertsForThisWindow(
  describe: NewMailAlertsOptions['describe'],
  open: NewMailAlertsOptions['open'],
): NewMailAlerts {
  const alerts = new NewMailAlerts({
    centre: 'Notification' in window ? window.Notification : undefined,
    storage: window.localStorage,
    describe,
    open(accountId, folder) {
      // Electron raises and focuses the window on window.focus() from its own page.
      window.focus();
      open(accountId, folder);
    },
  });
  window.addEventListener('focus', () => alerts.seen());
  return alerts;
}
