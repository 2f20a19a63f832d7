// Which SMTP failures the outbox retries and what it tells the user
// (electron/services/outbox/smtp-failure.ts). The server replies are the error objects nodemailer
// builds (smtp-connection _formatError: code, response, responseCode); the refused connection is
// a real one, to a loopback port nobody listens on.
import { expect, test } from 'vitest';
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { SealmailError } from '../../core/errors.js';
import { classifySendFailure } from '../../electron/services/outbox/smtp-failure.js';

const server = '127.0.0.1:2587';

function smtpReply(code: string, response: string, command = 'RCPT TO'): Error {
  return Object.assign(new Error(`Can't send mail: ${response}`), {
    code,
    response,
    responseCode: Number(response.slice(0, 3)),
    command,
  });
}

async function closedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('a 4xx reply is temporary: retried, and the message quotes the server', () => {
  const failure = classifySendFailure(smtpReply('EENVELOPE', '451 4.3.0 Temporary lookup failure'), server);
  expect(failure.retry).toBe(true);
  expect(failure.error.code).toBe('SMTP_TEMPORARY');
  expect(failure.error.message).toContain(server);
  expect(failure.error.message).toContain('451 4.3.0 Temporary lookup failure');
});

test('a 5xx reply is permanent: not retried, and the message names the server and the reason', () => {
  const failure = classifySendFailure(
    smtpReply('EENVELOPE', '550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown'),
    server,
  );
  expect(failure.retry).toBe(false);
  expect(failure.error.code).toBe('SMTP_PERMANENT');
  expect(failure.error.message).toBe(
    `${server} refused the message: 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown`,
  );
});

test('a multi-line reply becomes one line', () => {
  const failure = classifySendFailure(
    smtpReply('EMESSAGE', '552-5.3.4 Message size\r\n552 5.3.4 exceeds fixed limit', 'DATA'),
    server,
  );
  expect(failure.error.message).toContain('552-5.3.4 Message size 552 5.3.4 exceeds fixed limit');
});

test('a rejected login (535) is not retried and points at the account', () => {
  const failure = classifySendFailure(
    smtpReply('EAUTH', '535 5.7.8 Error: authentication failed', 'AUTH PLAIN'),
    server,
  );
  expect(failure.retry).toBe(false);
  expect(failure.error.code).toBe('AUTH_FAILED');
  expect(failure.error.message).toContain('user name and password');
});

test('a refused connection (real, through nodemailer) is temporary and names host:port', async () => {
  const port = await closedPort();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
  const error: unknown = await transport
    .sendMail({
      envelope: { from: 'a@example.test', to: ['b@example.test'] },
      raw: 'Subject: x\r\n\r\nx\r\n',
    })
    .then(
      () => null,
      (rejection: unknown) => rejection,
    );
  transport.close();
  const failure = classifySendFailure(error, `127.0.0.1:${port}`);
  expect(failure.retry).toBe(true);
  expect(failure.error.code).toBe('CONNECTION_FAILED');
  expect(failure.error.message).toContain(`cannot reach 127.0.0.1:${port}`);
});

test('an untrusted certificate is not retried and says how to trust it', () => {
  const tls = Object.assign(new Error('self-signed certificate'), {
    code: 'ESOCKET',
    originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  });
  const failure = classifySendFailure(tls, server);
  expect(failure.retry).toBe(false);
  expect(failure.error.code).toBe('TLS_UNTRUSTED');
  expect(failure.error.message).toContain('--ca-file');
});

test('a locked keychain is retried; a removed account is not', () => {
  expect(classifySendFailure(new SealmailError('KEYCHAIN_UNAVAILABLE', 'locked'), server).retry).toBe(true);
  const gone = classifySendFailure(new SealmailError('NOT_FOUND', 'there is no account "x"'), server);
  expect(gone).toEqual({ retry: false, error: { code: 'NOT_FOUND', message: 'there is no account "x"' } });
});

test('something unforeseen keeps the message and retries it', () => {
  const failure = classifySendFailure(new Error('boom'), server);
  expect(failure.retry).toBe(true);
  expect(failure.error.code).toBe('INTERNAL');
  expect(failure.error.message).toContain('boom');
});
