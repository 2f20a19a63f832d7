// One account's Advanced Security as the services report it ('security.status' and
// 'policy.get'), kept fresh by 'security.changed'. The wizard and Settings › Security read it;
// only the crypto worker ever sees keys or the key-file password.
import type { SealmailApi } from '../../../core/api/types.js';
import type { SecurityStatus } from '../../../core/api/security-types.js';
import type { EffectivePolicy } from '../../../core/policy/effective-policy.js';
import type { ErrorInfo } from '../../../core/errors.js';

export class AccountSecurity {
  status = $state.raw<SecurityStatus | null>(null);
  policy = $state.raw<EffectivePolicy | null>(null);
  error = $state.raw<ErrorInfo | null>(null);

  constructor(
    private readonly api: SealmailApi,
    readonly accountId: string,
  ) {}

  /** Status and policy together; a failure leaves the last good values and sets `error`. */
  async load(): Promise<void> {
    const [status, policy] = await Promise.all([
      this.api.invoke('security.status', { accountId: this.accountId }),
      this.api.invoke('policy.get', {}),
    ]);
    if (status.ok) this.status = status.value;
    if (policy.ok) this.policy = policy.value;
    this.error = !status.ok ? status.error : !policy.ok ? policy.error : null;
  }

  /** Reloads whenever the key file or certificates change; returns the unsubscribe. */
  watch(): () => void {
    return this.api.on('security.changed', ({ accountId }) => {
      if (accountId === this.accountId) void this.load();
    });
  }

  /** The wizard asks for the KM address only when neither the account nor the policy has one. */
  get needsKmAddress(): boolean {
    return this.status?.km == null && !this.kmSetByOrganisation;
  }

  /** Policy locks the KM: the user cannot choose another (seed 002). */
  get kmSetByOrganisation(): boolean {
    return Boolean(this.policy?.km.locked && this.policy.km.value.url);
  }

  /** Applies an address the organisation locked, when the account has none yet. */
  async adoptOrganisationKm(): Promise<ErrorInfo | null> {
    const km = this.policy?.km;
    if (this.status?.km != null || !km?.locked || !km.value.url) return null;
    return this.setKm(km.value.url, km.value.caPem ?? undefined);
  }

  async setKm(url: string, caPem?: string): Promise<ErrorInfo | null> {
    const result = await this.api.invoke('security.setKm', {
      accountId: this.accountId,
      url,
      ...(caPem ? { caPem } : {}),
    });
    if (!result.ok) return result.error;
    this.status = result.value;
    return null;
  }

  async setDefaults(defaults: { sign: boolean; encrypt: boolean }): Promise<ErrorInfo | null> {
    const result = await this.api.invoke('security.setDefaults', { accountId: this.accountId, ...defaults });
    if (!result.ok) return result.error;
    this.status = result.value;
    return null;
  }

  /** After the worker wrote a key file: its answer is the new status. */
  replaced(status: SecurityStatus): void {
    this.status = status;
  }
}
