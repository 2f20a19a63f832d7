// The EST client over HTTPS (RFC 7030) for core/enrollment: node:https, trusting only the KM CA
// (or the system store without one), and the KM's coded JSON refusals turned back into the
// same SealmailError codes, so "this key was already used" reads the same on both ends.
import { request } from 'node:https';
import { isIP } from 'node:net';
import type {
  EnrollmentCredentials,
  EstClient,
  EstReenrollClient,
  ServerGeneratedKey,
} from '../../../core/enrollment/est-client.js';
import { certificatesOfCertsOnly, serverGeneratedKeys } from '../../../core/enrollment/est-messages.js';
import { signedReenrollContentType } from '../../../core/enrollment/signed-reenroll.js';
import { isErrorCode, SealmailError } from '../../../core/errors.js';
import type { KmEndpoint } from './km-address.js';
import { checkKmTrusted, connectionFailed } from './km-trust.js';

/** The TLS client certificate for simplereenroll: the current signing certificate and key, PEM. */
export interface ClientIdentity {
  certificatePem: string;
  keyPem: string;
}

interface Answer {
  status: number;
  contentType: string;
  body: Uint8Array;
}

const estPath = '/.well-known/est/';
const pkcs10 = 'application/pkcs10';

function sendOnce(
  km: KmEndpoint,
  operation: string,
  options: {
    body?: Uint8Array;
    credentials?: EnrollmentCredentials;
    identity?: ClientIdentity;
    /** The body's type when it is not a bare PKCS#10 (the signed renewal request). */
    contentType?: string;
  },
): Promise<Answer> {
  const headers: Record<string, string> = {};
  let payload: string | null = null;
  if (options.body) {
    // §4.2.1: base64 PKCS#10 with Content-Transfer-Encoding: base64.
    payload = Buffer.from(options.body).toString('base64');
    headers['Content-Type'] = options.contentType ?? pkcs10;
    headers['Content-Transfer-Encoding'] = 'base64';
  }
  if (options.credentials) {
    const { email, temporaryKey } = options.credentials;
    headers.Authorization = `Basic ${Buffer.from(`${email}:${temporaryKey}`, 'utf8').toString('base64')}`;
  }
  const method = options.body || options.credentials ? 'POST' : 'GET';
  return new Promise((resolve, reject) => {
    const req = request(
      // An absolute path (the KM directory) is taken as is; an EST operation goes under estPath.
      new URL(operation.startsWith('/') ? operation : `${estPath}${operation}`, km.url),
      {
        method,
        headers,
        agent: false,
        ...(isIP(km.url.hostname) ? {} : { servername: km.url.hostname }),
        ...(km.caPem ? { ca: km.caPem } : {}),
        ...(options.identity ? { cert: options.identity.certificatePem, key: options.identity.keyPem } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: new Uint8Array(Buffer.concat(chunks)),
          }),
        );
        response.on('error', (error) => reject(connectionFailed(km, error)));
      },
    );
    req.on('error', (error) => reject(connectionFailed(km, error)));
    req.end(payload ?? undefined);
  });
}

/** The KM's refusal as a coded error; a non-Sealmail EST server by its HTTP status. */
function refusal(km: KmEndpoint, operation: string, answer: Answer): SealmailError {
  const text = Buffer.from(answer.body).toString('utf8');
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = parsed.error?.code;
    const message = parsed.error?.message;
    if (isErrorCode(code) && typeof message === 'string') {
      return new SealmailError(code, `The KM at ${km.hostPort} refused ${operation}: ${message}`);
    }
  } catch {
    // Not JSON: a stock EST server or a proxy; fall through to the HTTP status.
  }
  const detail = text.trim().slice(0, 200) || `HTTP ${answer.status}`;
  if (answer.status === 401 || answer.status === 403) {
    return new SealmailError('AUTH_FAILED', `The KM at ${km.hostPort} refused ${operation} (${detail}).`);
  }
  if (answer.status === 429) {
    return new SealmailError(
      'RATE_LIMITED',
      `The KM at ${km.hostPort} asks to wait before trying again (${detail}).`,
    );
  }
  return new SealmailError(
    'SERVER_ERROR',
    `The KM at ${km.hostPort} failed ${operation} (HTTP ${answer.status}: ${detail}).`,
  );
}

async function succeeded(km: KmEndpoint, operation: string, answer: Promise<Answer>): Promise<Answer> {
  const done = await answer;
  if (done.status !== 200) throw refusal(km, operation, done);
  return done;
}

/** Sends after the trust check (once per client), so nothing leaves for an unverified KM. */
function trustedSender(km: KmEndpoint): typeof sendOnce {
  let trusted: Promise<void> | null = null;
  return async (endpoint, operation, options) => {
    trusted ??= checkKmTrusted(km);
    await trusted;
    return sendOnce(endpoint, operation, options);
  };
}

export function estHttpsClient(km: KmEndpoint): EstClient {
  const send = trustedSender(km);
  return {
    async caCertificates() {
      const answer = await succeeded(km, 'cacerts', send(km, 'cacerts', {}));
      return certificatesOfCertsOnly(answer.body, 'the CA certificates');
    },
    async simpleEnroll(csr, credentials) {
      const answer = await succeeded(
        km,
        'the enrollment',
        send(km, 'simpleenroll', { body: csr, credentials }),
      );
      const [certificate] = certificatesOfCertsOnly(answer.body, 'the signing certificate');
      return certificate;
    },
    async serverKeygen(credentials): Promise<ServerGeneratedKey[]> {
      const answer = await succeeded(
        km,
        'to hand out the encryption keys',
        send(km, 'serverkeygen', { credentials }),
      );
      return serverGeneratedKeys(answer.body, answer.contentType);
    },
  };
}

export function estHttpsReenrollClient(km: KmEndpoint, identity: ClientIdentity): EstReenrollClient {
  const send = trustedSender(km);
  return {
    async simpleReenroll(csr) {
      const answer = await succeeded(km, 'the renewal', send(km, 'simplereenroll', { body: csr, identity }));
      const [certificate] = certificatesOfCertsOnly(answer.body, 'the renewed signing certificate');
      return certificate;
    },
  };
}

/**
 * A GET of another KM route (the directory, issue 4) over the same trusted HTTPS: the body of a
 * 200 answer, or the KM's refusal as a coded error.
 */
export async function getFromKm(km: KmEndpoint, path: string, what: string): Promise<Uint8Array> {
  const answer = await succeeded(km, what, trustedSender(km)(km, path, {}));
  return answer.body;
}

/** The EST operations the app's crypto worker may ask main to relay (RFC 7030 §3.2.2). */
export type RelayedEstOperation = 'cacerts' | 'simpleenroll' | 'serverkeygen' | 'simplereenroll';

const relayedWhat: Record<RelayedEstOperation, string> = {
  cacerts: 'cacerts',
  simpleenroll: 'the enrollment',
  serverkeygen: 'to hand out the encryption keys',
  simplereenroll: 'the renewal',
};

/**
 * The desktop's simplereenroll body is a CMS SignedData around the PKCS#10, signed by the current
 * signing key in the crypto worker (core/enrollment/signed-reenroll.ts): plain signed-data
 * (RFC 8551 §3.2.2), not CMC, so not smime-type=CMC-request. No TLS client certificate goes with
 * it: main never holds the signing key (ARCHITECTURE.md invariant 1).
 */
const relayedType: Partial<Record<RelayedEstOperation, string>> = {
  simplereenroll: signedReenrollContentType,
  // With a body, serverkeygen is the renewal's signed request for a new encryption key (issue 6).
  serverkeygen: signedReenrollContentType,
};

/**
 * One EST request exactly as the caller built it, over the same pinned TLS and with the same
 * coded refusals as estHttpsClient, answering the raw body and its Content-Type. The desktop's
 * crypto worker parses the answer itself: a serverkeygen answer carries private keys, so main
 * only passes the bytes on.
 */
export async function relayEstRequest(
  km: KmEndpoint,
  operation: RelayedEstOperation,
  options: { body: Uint8Array | null; credentials: EnrollmentCredentials | null },
): Promise<{ contentType: string; body: Uint8Array }> {
  const send = trustedSender(km);
  const answer = await succeeded(
    km,
    relayedWhat[operation],
    send(km, operation, {
      ...(options.body ? { body: options.body } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(relayedType[operation] ? { contentType: relayedType[operation] } : {}),
    }),
  );
  return { contentType: answer.contentType, body: answer.body };
}
