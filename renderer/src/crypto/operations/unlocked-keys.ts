// The unlocked key file of each account, kept in the worker's memory under the "medium" security
// profile for the minutes the policy allows (seed 004: "ask every time" is the "high" profile,
// which keeps nothing). Expiry is decided by the clock on every read, so a suspended machine or a
// late timer never stretches the window; the timer only drops the keys promptly when it fires.
import type { KeyFileContents } from '../../../../core/keyfile/key-file-contents.js';

export interface KeyClock {
  /** Milliseconds, like Date.now(). */
  now(): number;
  /** Runs `forget` after `ms`; returns a function that cancels it. */
  later(ms: number, forget: () => void): () => void;
}

export const systemClock: KeyClock = {
  now: () => Date.now(),
  later(ms, forget) {
    const timer = setTimeout(forget, ms);
    return () => clearTimeout(timer);
  },
};

interface Kept {
  contents: KeyFileContents;
  until: number;
  cancel: () => void;
}

export class UnlockedKeys {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly clock: KeyClock = systemClock) {}

  keep(accountId: string, contents: KeyFileContents, minutes: number): void {
    this.forget(accountId);
    if (!(minutes > 0)) return;
    const ms = minutes * 60_000;
    const cancel = this.clock.later(ms, () => this.forget(accountId));
    this.kept.set(accountId, { contents, until: this.clock.now() + ms, cancel });
  }

  /** The kept contents while the window lasts, else null (and they are dropped). */
  take(accountId: string): KeyFileContents | null {
    const kept = this.kept.get(accountId);
    if (!kept) return null;
    if (this.clock.now() >= kept.until) {
      this.forget(accountId);
      return null;
    }
    return kept.contents;
  }

  forget(accountId: string): void {
    const kept = this.kept.get(accountId);
    if (!kept) return;
    kept.cancel();
    this.kept.delete(accountId);
  }
}
