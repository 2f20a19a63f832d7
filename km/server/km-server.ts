// `km serve`: the KM over HTTPS (fastify) with the EST endpoints, the directory and the CRL.
// Several nodes may serve one PostgreSQL database; they keep no state of their own beyond the
// node key in --data.
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { SealmailError } from '../../core/errors.js';
import { settingNames } from '../authority/km-settings.js';
import { caCertificateDer } from '../authority/unlocked-km.js';
import { pem } from '../ca/pem.js';
import { registerCrlRoute } from './crl-route.js';
import { registerDirectoryRoutes } from './directory-routes.js';
import { registerEstRoutes } from './est-routes.js';
import type { KmServerContext } from './km-server-context.js';
import { tlsIdentity } from './tls-identity.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export function listenAddress(text: string): ListenAddress {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port > 65535) {
    throw new SealmailError('INVALID_REQUEST', `--listen "${text}" is not HOST:PORT, e.g. 127.0.0.1:8443.`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

export interface RunningKm {
  app: FastifyInstance;
  /** https://HOST:PORT as actually bound (the port is real even when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

export async function startKmServer(
  km: KmServerContext,
  options: { listen: ListenAddress; tlsCertFile?: string; tlsKeyFile?: string },
): Promise<RunningKm> {
  const kmUrl = await km.store.records.setting(settingNames.url);
  const hosts = [options.listen.host, ...(kmUrl ? [new URL(kmUrl).hostname.replace(/^\[|\]$/g, '')] : [])];
  const https = await tlsIdentity(km, km.dataDirectory, {
    certFile: options.tlsCertFile,
    keyFile: options.tlsKeyFile,
    hosts,
  });
  // Client certificates are asked for (naming the KM CA) but not required: only simplereenroll
  // uses them, and it accepts only a certificate the KM itself issued.
  const caPem = pem(await caCertificateDer(km.store.records), 'CERTIFICATE');
  const app = Fastify({
    https: { ...https, ca: caPem, requestCert: true, rejectUnauthorized: false },
    logger: false,
    bodyLimit: 64 * 1024,
  });
  await app.register(rateLimit, { global: false });
  registerEstRoutes(app, km);
  registerDirectoryRoutes(app, km);
  registerCrlRoute(app, km);
  await app.listen({ host: options.listen.host, port: options.listen.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.listen.port;
  const host = options.listen.host.includes(':') ? `[${options.listen.host}]` : options.listen.host;
  return { app, url: `https://${host}:${port}`, close: () => app.close() };
}
