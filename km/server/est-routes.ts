// EST (RFC 7030) under /.well-known/est/: cacerts (§4.1), simpleenroll (§4.2) with HTTP Basic
// mailbox + temporary key, and serverkeygen (§4.4) returning the KM-generated, archived
// encryption keys (on renewal, a NEW one asked by a signed request: serverkeygen-signed.ts), and
// simplereenroll (§4.2.2) authenticated by the current signing certificate
// as TLS client certificate or (for the desktop, whose key lives in its crypto worker) by a CMS
// SignedData around the PKCS#10 signed with it (reenroll-signed.ts). Plain curl and openssl can
// enroll: bodies are base64 (or DER/PEM) PKCS#10.
import { randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { SealmailError } from '../../core/errors.js';
import { caCertificateDer } from '../authority/unlocked-km.js';
import { encryptionKeyTypes, type EncryptionKeyType } from '../ca/key-algorithms.js';
import { collectServerKeys } from '../enrollment/collect-server-keys.js';
import { redeemTemporaryKey } from '../enrollment/redeem-temporary-key.js';
import { renewSigningCertificate } from '../enrollment/renew-signing-certificate.js';
import { basicCredentials } from './basic-auth.js';
import { certsOnly } from './certs-only.js';
import { base64Lines, csrPublicKey, requestDer, serverKeygenBody } from './est-bodies.js';
import { sendError } from './http-errors.js';
import type { KmServerContext } from './km-server-context.js';
import { reenrollWithSignedRequest } from './reenroll-signed.js';
import { serverKeygenWithSignedRequest } from './serverkeygen-signed.js';

const certsOnlyType = 'application/pkcs7-mime; smime-type=certs-only';

function requestedKeyType(query: unknown, fallback: EncryptionKeyType): EncryptionKeyType {
  const asked = (query as Record<string, unknown> | undefined)?.['encryption-key'];
  if (asked === undefined) return fallback;
  if (typeof asked === 'string' && (encryptionKeyTypes as readonly string[]).includes(asked)) {
    return asked as EncryptionKeyType;
  }
  throw new SealmailError(
    'INVALID_REQUEST',
    `encryption-key must be one of ${encryptionKeyTypes.join(', ')}.`,
  );
}

export function registerEstRoutes(app: FastifyInstance, km: KmServerContext): void {
  const limited = { config: { rateLimit: { max: km.requestsPerMinute, timeWindow: 60_000 } } };
  app.addContentTypeParser(
    [
      'application/pkcs10',
      'application/pkcs7-mime',
      'application/octet-stream',
      'text/plain',
      'application/x-www-form-urlencoded',
    ],
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );

  app.get('/.well-known/est/cacerts', limited, async (_request, reply) => {
    try {
      const der = await caCertificateDer(km.store.records);
      return reply
        .type(certsOnlyType)
        .header('Content-Transfer-Encoding', 'base64')
        .send(base64Lines(certsOnly([der])));
    } catch (error) {
      return sendError(reply, error);
    }
  });

  app.post('/.well-known/est/simpleenroll', limited, async (request, reply) => {
    try {
      const credentials = basicCredentials(request.headers.authorization);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signingPublicKey = await csrPublicKey(requestDer(body));
      const redemption = await redeemTemporaryKey(km, km.dataDirectory, {
        ...credentials,
        signingPublicKey,
        encryptionKeyType: requestedKeyType(request.query, km.encryptionKeyType),
      });
      return reply
        .type(certsOnlyType)
        .header('Content-Transfer-Encoding', 'base64')
        .send(base64Lines(certsOnly([redemption.signingCertificate])));
    } catch (error) {
      return sendError(reply, error);
    }
  });

  app.post('/.well-known/est/serverkeygen', limited, async (request, reply) => {
    try {
      const signed = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      // A signed-data body asks for a NEW key on renewal (issue 6, serverkeygen-signed.ts);
      // without one, the enrolling client collects its keys with the temporary key.
      const keys = (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/pkcs7-mime')
        ? await serverKeygenWithSignedRequest(km, requestDer(signed))
        : await collectServerKeys(km, km.dataDirectory, basicCredentials(request.headers.authorization));
      const boundary = `sealmail-${randomBytes(12).toString('hex')}`;
      const body = serverKeygenBody(
        keys.map((key) => ({ privateKey: key.privateKey, certsOnly: certsOnly([key.certificate]) })),
        boundary,
      );
      return reply.type(`multipart/mixed; boundary=${boundary}`).send(body);
    } catch (error) {
      return sendError(reply, error);
    }
  });

  app.post('/.well-known/est/simplereenroll', limited, async (request, reply) => {
    try {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      // A signed-data body carries its own proof of possession (issue 6, reenroll-signed.ts).
      if ((request.headers['content-type'] ?? '').toLowerCase().startsWith('application/pkcs7-mime')) {
        const der = await reenrollWithSignedRequest(km, requestDer(body));
        return reply
          .type(certsOnlyType)
          .header('Content-Transfer-Encoding', 'base64')
          .send(base64Lines(certsOnly([der])));
      }
      // The TLS handshake proved possession of the presented certificate's key (CertificateVerify).
      // Its chain is not judged by TLS (OpenSSL would want a clientAuth EKU, which S/MIME
      // certificates lack): the certificate must be byte for byte one the KM issued.
      const socket = request.raw.socket as TLSSocket;
      const presented = socket.getPeerCertificate?.();
      if (!presented?.raw || !presented.serialNumber) {
        throw new SealmailError(
          'AUTH_FAILED',
          'renewal needs your current Sealmail signing certificate and key as the TLS client certificate.',
        );
      }
      const der = await renewSigningCertificate(km, km.dataDirectory, {
        presentedSerial: presented.serialNumber,
        presentedCertificate: new Uint8Array(presented.raw),
        signingPublicKey: await csrPublicKey(requestDer(body)),
      });
      return reply
        .type(certsOnlyType)
        .header('Content-Transfer-Encoding', 'base64')
        .send(base64Lines(certsOnly([der])));
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
