// What a user reads when a server refuses: the code, the server, and the way out. The inputs are
// the error shapes imapflow, nodemailer and Node's socket/TLS layers throw.
import { expect, test } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { describeServerFailure, type ServerEndpoint } from '../../electron/services/imap/server-errors.js';

const imap: ServerEndpoint = {
  protocol: 'IMAP',
  server: { host: '127.0.0.1', port: 1143, tls: 'starttls' },
  username: 'alice@example.test',
};
const smtp: ServerEndpoint = {
  ...imap,
  protocol: 'SMTP',
  server: { host: 'mail.example.test', port: 587, tls: 'starttls' },
};

const failure = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

test('a refused login names the user and the server (issue 2: "authentication failed for alice@… on host:port")', () => {
  const imapFailure = describeServerFailure(
    imap,
    failure('Command failed', { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' }),
  );
  expect(imapFailure.code).toBe('AUTH_FAILED');
  expect(imapFailure.message).toBe(
    'IMAP authentication failed for alice@example.test on 127.0.0.1:1143; check the user name and password',
  );
  const smtpFailure = describeServerFailure(
    smtp,
    failure('Invalid login: 535 5.7.8', { code: 'EAUTH', responseCode: 535 }),
  );
  expect(smtpFailure.code).toBe('AUTH_FAILED');
  expect(smtpFailure.message).toContain(
    'SMTP authentication failed for alice@example.test on mail.example.test:587',
  );
});

test('an unreachable server is CONNECTION_FAILED, with the reason, also when wrapped', () => {
  const refused = failure('connect ECONNREFUSED 127.0.0.1:1143', { code: 'ECONNREFUSED' });
  const direct = describeServerFailure(imap, refused);
  expect(direct.code).toBe('CONNECTION_FAILED');
  expect(direct.message).toBe(
    'cannot connect to the IMAP server 127.0.0.1:1143 (connect ECONNREFUSED 127.0.0.1:1143); check the host, the port and the network',
  );
  const wrapped = describeServerFailure(smtp, new Error('Connection failed', { cause: refused }));
  expect(wrapped.code).toBe('CONNECTION_FAILED');
  expect(describeServerFailure(imap, failure('Timeout', { code: 'CONNECT_TIMEOUT' })).code).toBe(
    'CONNECTION_FAILED',
  );
});

test('an untrusted certificate says how to trust the organisation CA', () => {
  const untrusted = describeServerFailure(
    imap,
    failure('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
  );
  expect(untrusted.code).toBe('TLS_UNTRUSTED');
  expect(untrusted.message).toMatch(
    /127\.0\.0\.1:1143 presented a certificate that is not trusted .*--ca-file CA\.pem/,
  );
});

test('a coded error passes through, and anything else is a SERVER_ERROR naming the server', () => {
  const coded = new SealmailError('KEYCHAIN_UNAVAILABLE', 'install gnome-keyring');
  expect(describeServerFailure(imap, coded)).toBe(coded);
  const other = describeServerFailure(imap, new Error('NO [SERVERBUG] Internal error'));
  expect(other.code).toBe('SERVER_ERROR');
  expect(other.message).toBe('the IMAP server 127.0.0.1:1143 answered: NO [SERVERBUG] Internal error');
  expect(describeServerFailure(imap, 'a string').message).toContain('a string');
});
