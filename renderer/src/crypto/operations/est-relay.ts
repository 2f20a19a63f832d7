// core/enrollment's EstClient over the `km.est` relay: main carries each EST request (RFC 7030)
// through its pinned TLS connection to the KM and hands back the body untouched; the parsing of
// the answers happens here, in the worker, where the private keys they carry belong.
import { certificatesOfCertsOnly, serverGeneratedKeys } from '../../../../core/enrollment/est-messages.js';
import type { EstClient } from '../../../../core/enrollment/est-client.js';
import { ipcBytes, type Invoke } from './worker-ipc.js';

export interface EstSteps {
  /** Told just before each request goes out, so the wizard can show what is happening. */
  before?: (operation: 'cacerts' | 'simpleenroll' | 'serverkeygen') => void;
}

export function estRelay(invoke: Invoke, accountId: string, steps: EstSteps = {}): EstClient {
  return {
    async caCertificates() {
      steps.before?.('cacerts');
      const reply = await invoke('km.est', {
        accountId,
        operation: 'cacerts',
        body: null,
        temporaryKey: null,
      });
      return certificatesOfCertsOnly(reply.body, 'the CA certificates');
    },
    async simpleEnroll(csr, credentials) {
      steps.before?.('simpleenroll');
      // §4.2.1: the PKCS#10 as DER; the KM reads DER, PEM and base64 alike, so main may pass it
      // on as it is or base64-encode it. The mailbox for HTTP Basic is the account's own.
      const reply = await invoke('km.est', {
        accountId,
        operation: 'simpleenroll',
        body: ipcBytes(csr),
        temporaryKey: credentials.temporaryKey,
      });
      const [certificate] = certificatesOfCertsOnly(reply.body, 'the signing certificate');
      return certificate;
    },
    async serverKeygen(credentials) {
      steps.before?.('serverkeygen');
      const reply = await invoke('km.est', {
        accountId,
        operation: 'serverkeygen',
        body: null,
        temporaryKey: credentials.temporaryKey,
      });
      return serverGeneratedKeys(reply.body, reply.contentType);
    },
  };
}
