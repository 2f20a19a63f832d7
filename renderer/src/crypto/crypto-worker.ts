// The crypto worker's entry (ARCHITECTURE.md invariant 1): core/'s S/MIME and key-file code runs
// here, so private keys and the key-file password live only in this worker's memory. The page
// starts it with createCryptoClient (page-crypto-client.ts).
import { serveCryptoCalls } from './serve-crypto-calls.js';
import type { MessageEndpoint, WorkerMessage } from './worker-protocol.js';

// The renderer is type-checked with the DOM library, which types `self` as a Window; in a
// dedicated worker it is the DedicatedWorkerGlobalScope, whose postMessage takes one argument.
serveCryptoCalls(self as unknown as MessageEndpoint<WorkerMessage>);
