// An account as the services see it: the summary the renderer sees plus the extra CA to trust.
// The password is never part of it; it lives in the OS keychain (ARCHITECTURE.md invariant 3).
import type { AccountSummary } from '../../../core/api/types.js';

export interface StoredAccount extends AccountSummary {
  /** PEM of extra CA certificates to trust for this account's servers (self-hosted mail). */
  caPem?: string;
}
