// Sends the enrollment welcome message through nodemailer (issue 4). The temporary key is issued
// and committed before this runs, so a mail failure never loses it: the CLI has already printed
// it, and the error says the key must reach the user another way.
import nodemailer from 'nodemailer';
import { SealmailError, type ErrorCode } from '../../core/errors.js';
import type { EnrollmentMessage } from './enrollment-message.js';

export interface SmtpSettings {
  host: string;
  port: number;
  tls: 'tls' | 'starttls' | 'none';
  user?: string;
  password?: string;
  /** PEM of a CA to trust for the SMTP server's certificate, besides the system's. */
  caPem?: string;
  from: string;
}

function codeFor(error: { code?: string; responseCode?: number }): ErrorCode {
  if (error.code === 'EAUTH') return 'AUTH_FAILED';
  if (typeof error.responseCode === 'number')
    return error.responseCode >= 500 ? 'SMTP_PERMANENT' : 'SMTP_TEMPORARY';
  if (error.code === 'ETLS' || /certificate/i.test(String((error as Error).message))) return 'TLS_UNTRUSTED';
  return 'CONNECTION_FAILED';
}

export async function sendEnrollmentMessage(
  smtp: SmtpSettings,
  to: string,
  message: EnrollmentMessage,
): Promise<{ messageId: string }> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === 'tls',
    requireTLS: smtp.tls === 'starttls',
    ignoreTLS: smtp.tls === 'none',
    auth: smtp.user !== undefined ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    tls: smtp.caPem !== undefined ? { ca: smtp.caPem } : undefined,
  });
  try {
    const sent = await transport.sendMail({
      from: smtp.from,
      to,
      subject: message.subject,
      text: message.text,
    });
    return { messageId: sent.messageId };
  } catch (error) {
    const detail = error as { code?: string; responseCode?: number; message?: string };
    throw new SealmailError(
      codeFor(detail),
      `the enrollment message to ${to} was not sent (${detail.message ?? String(error)}); ` +
        'the temporary key above is valid: give it to the user another way.',
      { cause: error },
    );
  } finally {
    transport.close();
  }
}
