// Desktop notifications for new mail ('mail.new'), through the Web Notification API, which
// Electron shows in the system's notification centre. Permission is asked only when the user
// turns "Notify me of new mail" on (a click: browsers refuse prompts without a user gesture), and
// the choice is remembered in localStorage. In Electron, main's session allows exactly this one
// permission (electron/main/session-hardening.ts).
//
// What a notification says: only "New mail in <folder> (<count>)" and the account's address,
// never the sender or the subject. The subject of an S/MIME message travels in the clear (RFC 8551
// protects only the body), but a notification is shown on the lock screen, mirrored to phones and
// kept in the system's history, where the sender and subject of confidential mail must not appear;
// and telling encrypted mail apart would itself need the message. So no message content, ever.

/** Folders whose growth is the user's own doing or not mail to read: no notification. */
const quietFolders = new Set(['\\Sent', '\\Drafts', '\\Trash', '\\Junk', '\\Archive', '\\All']);

export interface NewMail {
  accountId: string;
  folder: string;
  count: number;
}

/** What is shown: text without message content (see above), and a tag per account and folder. */
export function newMailNotice(
  mail: NewMail,
  accountAddress: string,
  pending: number,
): { title: string; body: string; tag: string } {
  return {
    title: `New mail in ${mail.folder} (${pending})`,
    body: accountAddress,
    // One notification per folder: a second delivery replaces it with the new count.
    tag: `sealmail-new-mail:${mail.accountId}:${mail.folder}`,
  };
}

/** Whether new mail in a folder is worth a notification: not Sent, Drafts, Trash, Junk… */
export function worthTelling(specialUse: string | null): boolean {
  return specialUse === null || !quietFolders.has(specialUse);
}

/** The parts of a shown Notification used here. */
export interface ShownNotification {
  onclick: ((event: Event) => void) | null;
  close(): void;
}

/** window.Notification, or a stand-in with the same shape. */
export interface NotificationCentre {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): ShownNotification;
}

export type ChoiceStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const notifyStorageKey = 'sealmail.notifyNewMail';

export type TurnOnResult = 'on' | 'blocked' | 'unsupported';

export interface NewMailAlertsOptions {
  /** Undefined where the platform has no notifications. */
  centre: NotificationCentre | undefined;
  storage: ChoiceStorage;
  /** The account's address and the folder's special use, to word and filter the notice. */
  describe(mail: NewMail): { accountAddress: string; specialUse: string | null };
  /** A click: bring the window to the front and open the folder. */
  open(accountId: string, folder: string): void;
}

export class NewMailAlerts {
  /** New messages not yet looked at, per notification tag, so the count adds up. */
  private readonly pending = new Map<string, number>();

  constructor(private readonly options: NewMailAlertsOptions) {}

  /** On when the user turned it on and the platform still allows it. */
  get on(): boolean {
    const { centre } = this.options;
    return centre !== undefined && centre.permission === 'granted' && this.saved() === 'on';
  }

  /** Must run inside a user gesture (a click), or the permission prompt is refused. */
  async turnOn(): Promise<TurnOnResult> {
    const { centre, storage } = this.options;
    if (centre === undefined) return 'unsupported';
    const permission = centre.permission === 'granted' ? 'granted' : await centre.requestPermission();
    if (permission !== 'granted') return 'blocked';
    remember(storage, 'on');
    return 'on';
  }

  /** The user is at the window: the next notification counts from zero again. */
  seen(): void {
    this.pending.clear();
  }

  turnOff(): void {
    remember(this.options.storage, 'off');
    this.pending.clear();
  }

  /** Shows (or updates) the folder's notification; true when one was shown. */
  newMail(mail: NewMail): boolean {
    const { centre, describe, open } = this.options;
    if (!this.on || centre === undefined || mail.count <= 0) return false;
    const { accountAddress, specialUse } = describe(mail);
    if (!worthTelling(specialUse)) return false;
    const tag = newMailNotice(mail, accountAddress, 0).tag;
    const pending = (this.pending.get(tag) ?? 0) + mail.count;
    this.pending.set(tag, pending);
    const notice = newMailNotice(mail, accountAddress, pending);
    const shown = new centre(notice.title, { body: notice.body, tag: notice.tag, silent: false });
    shown.onclick = () => {
      this.pending.delete(tag);
      open(mail.accountId, mail.folder);
      shown.close();
    };
    return true;
  }

  private saved(): string | null {
    try {
      return this.options.storage.getItem(notifyStorageKey);
    } catch {
      return null;
    }
  }
}

function remember(storage: ChoiceStorage, value: 'on' | 'off'): void {
  try {
    storage.setItem(notifyStorageKey, value);
  } catch {
    // Not remembered across restarts; the toggle still works for this session.
  }
}
