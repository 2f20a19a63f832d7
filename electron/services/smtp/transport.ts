// A nodemailer SMTP transport for an account, with the TLS mode it was configured with.
import nodemailer from 'nodemailer';
import { isIP } from 'node:net';
import type { StoredAccount } from '../accounts/stored-account.js';

export type SmtpTransport = ReturnType<typeof nodemailer.createTransport>;

export function createSmtpTransport(account: StoredAccount, password: string): SmtpTransport {
  const { host, port, tls } = account.smtp;
  return nodemailer.createTransport({
    host,
    port,
    secure: tls === 'tls',
    requireTLS: tls === 'starttls',
    ignoreTLS: tls === 'none',
    auth: { user: account.username, pass: password },
    tls: {
      ...(account.caPem ? { ca: account.caPem } : {}),
      // RFC 6066 forbids an IP address as SNI; the certificate is still checked against it.
      ...(isIP(host) ? {} : { servername: host }),
      minVersion: 'TLSv1.2',
    },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}
