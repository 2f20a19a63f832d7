// Is this really our KM? One TLS handshake that sends nothing, before any temporary key or
// signing request goes out: if the certificate does not chain to the KM CA (or the system's
// trust store without --km-ca), the user learns its SHA-256 fingerprint to compare with the
// administrator's, and how to pass the CA. The requests that follow verify again strictly, so
// what was checked is what is used.
import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { SealmailError } from '../../../core/errors.js';
import type { KmEndpoint } from './km-address.js';

export function connectionFailed(km: KmEndpoint, error: unknown): SealmailError {
  const reason = error instanceof Error ? error.message : String(error);
  return new SealmailError(
    'CONNECTION_FAILED',
    `Cannot reach the KM at ${km.hostPort}: ${reason}. ${km.advice?.address ?? 'Check the --km address'} and that the KM server is running.`,
    { cause: error },
  );
}

function untrusted(km: KmEndpoint, socket: TLSSocket): SealmailError {
  const fingerprint = socket.getPeerCertificate().fingerprint256 ?? '(none presented)';
  const why = String(socket.authorizationError ?? 'not trusted');
  const how = km.advice
    ? km.advice.ca
    : km.caPem
      ? 'It is not issued by the CA in --km-ca; check that you were given the right ca.pem for this KM.'
      : 'Ask your administrator for the KM CA (the ca.pem of `sealmail km init`), compare the fingerprint, and pass it with --km-ca CA.pem.';
  return new SealmailError(
    'TLS_UNTRUSTED',
    `The KM at ${km.hostPort} presented a certificate that is not trusted (${why}); its SHA-256 fingerprint is ${fingerprint}. ${how}`,
  );
}

export function checkKmTrusted(km: KmEndpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: km.url.hostname,
      port: Number(km.url.port || 443),
      // SNI carries names only (RFC 6066 §3); an IP address is still checked against the SANs.
      ...(isIP(km.url.hostname) ? {} : { servername: km.url.hostname }),
      ...(km.caPem ? { ca: km.caPem } : {}),
      // Judged below, so the error can name the fingerprint; this socket carries no data.
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      const problem = socket.authorized ? null : untrusted(km, socket);
      socket.end();
      if (problem) reject(problem);
      else resolve();
    });
    socket.once('error', (error) => reject(connectionFailed(km, error)));
  });
}
