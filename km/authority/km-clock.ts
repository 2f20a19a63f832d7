// The KM's notion of now, passed in so lifecycle rules (expiry, CRL nextUpdate) are tested
// against a chosen moment rather than by waiting.
import type { KmStore } from '../storage/km-store.js';

export interface KmContext {
  store: KmStore;
  now(): Date;
}
