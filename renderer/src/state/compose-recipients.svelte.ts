// Each recipient's certificate state, as 'recipients.check' reports it (KM directory, harvested
// certificates, chain to the KM CA, CRL). Typing is debounced so a burst of chips is one check.
import type { SealmailApi } from '../../../core/api/types.js';
import type { RecipientCertificate } from '../../../core/api/security-types.js';
import { SvelteMap } from 'svelte/reactivity';
import type { ErrorInfo } from '../../../core/errors.js';

export type ChipState = RecipientCertificate | { address: string; state: 'checking' } | CheckFailed;

interface CheckFailed {
  address: string;
  state: 'unchecked';
  reason: string;
}

const debounceMs = 300;

export class RecipientCertificates {
  /** By lower-cased address. */
  readonly known = new SvelteMap<string, ChipState>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Typed since the last check, lower-cased. */
  private waiting: string[] = [];

  constructor(
    private readonly api: SealmailApi,
    private readonly accountId: () => string,
  ) {}

  stateOf(address: string): ChipState {
    return this.known.get(address.toLowerCase()) ?? { address, state: 'checking' };
  }

  /** Asks, after a pause in typing, about every address not yet known. */
  watch(addresses: readonly string[]): void {
    for (const address of addresses) {
      const key = address.toLowerCase();
      if (!this.known.has(key) && !this.waiting.includes(key)) this.waiting.push(key);
    }
    if (this.waiting.length === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const asked = this.waiting;
      this.waiting = [];
      void this.check(asked);
    }, debounceMs);
  }

  /** Checks now (the send flow wants fresh answers: a CRL may have arrived since typing). */
  async check(addresses: readonly string[]): Promise<RecipientCertificate[] | ErrorInfo> {
    const asked = addresses
      .map((address) => address.toLowerCase())
      .filter((address, i, all) => all.indexOf(address) === i);
    if (asked.length === 0) return [];
    const result = await this.api.invoke('recipients.check', {
      accountId: this.accountId(),
      addresses: asked,
    });
    if (result.ok) {
      for (const answer of result.value) this.known.set(answer.address.toLowerCase(), answer);
      return result.value;
    }
    for (const address of asked)
      this.known.set(address, { address, state: 'unchecked', reason: result.error.message });
    return result.error;
  }

  /**
   * Forgets every answer and asks again: a CRL refresh or an enrollment ('security.changed') may
   * have changed what a chip should say.
   */
  recheck(addresses: readonly string[]): void {
    this.known.clear();
    this.watch(addresses);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
