// What the KM's HTTP routes share: the store and clock, the --data directory holding the node
// key, and the server's choices.
import type { KmContext } from '../authority/km-clock.js';
import type { EncryptionKeyType } from '../ca/key-algorithms.js';

export interface KmServerContext extends KmContext {
  dataDirectory: string;
  /** The encryption key type serverkeygen makes when the request does not ask for one. */
  encryptionKeyType: EncryptionKeyType;
  /** Requests per client address per minute on the EST and directory routes. */
  requestsPerMinute: number;
}
