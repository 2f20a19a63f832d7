// The steps of a send, for the composer's determinate progress bar (issue 6: "progress bars on
// sync and large sends"): checking recipients → sealing → queued → sending → sent. The last
// three follow the outbox's 'outbox.changed' events for the queued items.
import type { OutboxItem, SealmailApi } from '../../../core/api/types.js';

export const sendStages = ['checking', 'sealing', 'queued', 'sending', 'sent'] as const;
export type SendStage = (typeof sendStages)[number];

const stageWords: Record<SendStage, string> = {
  checking: 'checking recipients',
  sealing: 'sealing',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
};

/** For ProgressBar: how many steps are done, of how many, and that in words. */
export function stageProgress(stage: SendStage): { value: number; max: number; valueText: string } {
  const index = sendStages.indexOf(stage);
  const max = sendStages.length;
  const value = stage === 'sent' ? max : index;
  return { value, max, valueText: `step ${index + 1} of ${max}, ${stageWords[stage]}` };
}

/** How long the composer follows a queued message before leaving it to the Outbox list. */
const FOLLOW_AT_MOST_MS = 60_000;

/**
 * Listens to the outbox from before the message is queued (its events may come before
 * 'mail.sendSealed' answers), then follows the given items until each is sent, retrying or failed,
 * reporting 'sending' and 'sent'. Never throws; a slow server only ends the following early.
 */
export class DeliveryWatch {
  private readonly latest = new Map<string, OutboxItem['state']>();
  private readonly stop: () => void;
  private wake: (() => void) | null = null;

  constructor(api: SealmailApi) {
    this.stop = api.on('outbox.changed', ({ item }) => {
      this.latest.set(item.id, item.state);
      this.wake?.();
    });
  }

  async follow(ids: readonly string[], onStage: (stage: 'sending' | 'sent') => void): Promise<void> {
    const settled = (state: OutboxItem['state'] | undefined) =>
      state === 'sent' || state === 'retrying' || state === 'failed';
    const deadline = Date.now() + FOLLOW_AT_MOST_MS;
    try {
      for (;;) {
        const states = ids.map((id) => this.latest.get(id));
        if (states.every((state) => state === 'sent')) {
          onStage('sent');
          return;
        }
        if (states.every(settled)) return;
        if (states.some((state) => state === 'sending' || state === 'sent')) onStage('sending');
        const left = deadline - Date.now();
        if (left <= 0) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    } finally {
      this.dispose();
    }
  }

  private stopped = false;

  dispose(): void {
    this.wake = null;
    if (!this.stopped) this.stop();
    this.stopped = true;
  }
}
