// Desktop notifications for new mail (issue 6): asked for only when the user turns them on,
// remembered, worded without any message content, counted per folder, quiet for Sent/Trash/…,
// and a click opens the folder. The notification centre here is a STAND-IN for window.Notification
// (the e2e test drives the real API in Chromium).
import { describe, expect, it } from 'vitest';
import {
  NewMailAlerts,
  newMailNotice,
  notifyStorageKey,
  type NewMail,
  type NotificationCentre,
  type ShownNotification,
} from '../../renderer/src/notifications/new-mail-alerts.js';

interface Shown extends ShownNotification {
  title: string;
  options: NotificationOptions | undefined;
  closed: boolean;
}

function world(options: { permission?: NotificationPermission; answer?: NotificationPermission } = {}) {
  const shown: Shown[] = [];
  const asked: string[] = [];
  const opened: string[] = [];
  const items = new Map<string, string>();
  const state = { permission: options.permission ?? 'default' };
  class StandInCentre implements ShownNotification {
    static get permission(): NotificationPermission {
      return state.permission;
    }
    static async requestPermission(): Promise<NotificationPermission> {
      asked.push('asked');
      state.permission = options.answer ?? 'granted';
      return state.permission;
    }
    onclick: ((event: Event) => void) | null = null;
    constructor(title: string, notificationOptions?: NotificationOptions) {
      shown.push(
        Object.assign(this, { title, options: notificationOptions, closed: false }) as unknown as Shown,
      );
    }
    close(): void {
      (this as unknown as Shown).closed = true;
    }
  }
  const centre: NotificationCentre = StandInCentre;
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
  const specialUses: Record<string, string | null> = {
    INBOX: null,
    Sent: '\\Sent',
    Trash: '\\Trash',
    Lists: null,
  };
  const alerts = new NewMailAlerts({
    centre,
    storage,
    describe: (mail) => ({
      accountAddress: 'alice@example.test',
      specialUse: specialUses[mail.folder] ?? null,
    }),
    open: (accountId, folder) => opened.push(`${accountId}/${folder}`),
  });
  return { alerts, shown, asked, opened, items, state };
}

const inbox = (count: number): NewMail => ({ accountId: 'alice', folder: 'INBOX', count });

describe('new-mail notifications', () => {
  it('are off, and ask nothing, until the user turns them on', () => {
    const { alerts, shown, asked } = world();
    expect(alerts.on).toBe(false);
    expect(alerts.newMail(inbox(1))).toBe(false);
    expect(shown).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('turning on asks for permission once, remembers it, and then notifies', async () => {
    const { alerts, shown, asked, items } = world();
    expect(await alerts.turnOn()).toBe('on');
    expect(asked).toEqual(['asked']);
    expect(items.get(notifyStorageKey)).toBe('on');
    expect(alerts.newMail(inbox(2))).toBe(true);
    expect(shown.map((notice) => notice.title)).toEqual(['New mail in INBOX (2)']);
    // Already granted: turning on again asks nothing.
    await alerts.turnOn();
    expect(asked).toEqual(['asked']);
  });

  it('a refused permission leaves them off and says blocked', async () => {
    const { alerts, items } = world({ answer: 'denied' });
    expect(await alerts.turnOn()).toBe('blocked');
    expect(alerts.on).toBe(false);
    expect(items.has(notifyStorageKey)).toBe(false);
  });

  it('without a notification centre, turning on says unsupported', async () => {
    const alerts = new NewMailAlerts({
      centre: undefined,
      storage: { getItem: () => null, setItem: () => undefined },
      describe: () => ({ accountAddress: '', specialUse: null }),
      open: () => undefined,
    });
    expect(await alerts.turnOn()).toBe('unsupported');
    expect(alerts.newMail(inbox(1))).toBe(false);
  });

  it('turning off is remembered; permission revoked in the system also stops them', async () => {
    const { alerts, items, state } = world();
    await alerts.turnOn();
    alerts.turnOff();
    expect(items.get(notifyStorageKey)).toBe('off');
    expect(alerts.newMail(inbox(1))).toBe(false);
    await alerts.turnOn();
    state.permission = 'denied';
    expect(alerts.on).toBe(false);
  });

  it('say the folder, the count and the account, never a sender or subject', async () => {
    const { alerts, shown } = world({ permission: 'granted' });
    await alerts.turnOn();
    alerts.newMail(inbox(1));
    expect(shown[0]!.title).toBe('New mail in INBOX (1)');
    expect(shown[0]!.options?.body).toBe('alice@example.test');
    expect(Object.keys(newMailNotice(inbox(1), 'alice@example.test', 1)).sort()).toEqual([
      'body',
      'tag',
      'title',
    ]);
  });

  it('count up per folder under one tag until the user looks', async () => {
    const { alerts, shown } = world({ permission: 'granted' });
    await alerts.turnOn();
    alerts.newMail(inbox(1));
    alerts.newMail(inbox(2));
    alerts.newMail({ accountId: 'alice', folder: 'Lists', count: 1 });
    expect(shown.map((notice) => notice.title)).toEqual([
      'New mail in INBOX (1)',
      'New mail in INBOX (3)',
      'New mail in Lists (1)',
    ]);
    expect(shown[0]!.options?.tag).toBe(shown[1]!.options?.tag);
    expect(shown[2]!.options?.tag).not.toBe(shown[0]!.options?.tag);
    alerts.seen();
    alerts.newMail(inbox(1));
    expect(shown.at(-1)!.title).toBe('New mail in INBOX (1)');
  });

  it('stay quiet for Sent and Trash (the user filled those)', async () => {
    const { alerts, shown } = world({ permission: 'granted' });
    await alerts.turnOn();
    expect(alerts.newMail({ accountId: 'alice', folder: 'Sent', count: 1 })).toBe(false);
    expect(alerts.newMail({ accountId: 'alice', folder: 'Trash', count: 1 })).toBe(false);
    expect(shown).toEqual([]);
  });

  it('a click opens the folder and closes the notification', async () => {
    const { alerts, shown, opened } = world({ permission: 'granted' });
    await alerts.turnOn();
    alerts.newMail(inbox(1));
    shown[0]!.onclick?.(new Event('click'));
    expect(opened).toEqual(['alice/INBOX']);
    expect(shown[0]!.closed).toBe(true);
  });
});
