// Certificates harvested from verified signed mail (issue 4, the second place `mail send
// --encrypt` looks): alice and bob are enrolled at a real KM over TLS; alice signs a message
// (Sealmail puts her encryption certificate and SMIMEEncryptionKeyPreference in the signature,
// RFC 8551 §2.5.3); once bob has opened it with a valid signature, he can send her encrypted
// mail over the real Postfix without asking the KM directory, and she opens it with her key
// file. A signature that does not verify teaches bob nothing. Run under
// test/support/with-keyring.sh, after `npx tsc -b core electron km`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableMailbox } from '../../km/mailbox/admin-operations.js';
import { startKmServer, type RunningKm } from '../../km/server/km-server.js';
import { adminPasswords, startTestKm, type TestKm } from '../support/km-authority.js';
import { startMailStack, type MailStack, type MailUser } from '../support/mailstack.js';
import { accountAddArgs, sealmail, tempHome, type CliRun } from './accounts-fixture.js';
import { fetchByMessageId, settledCount } from './outbox-fixture.js';

let stack: MailStack;
let km: TestKm;
let server: RunningKm;
let files: string;
/** Bob's Sealmail home: his account, and what he has harvested. */
let bobHome: string;
const bobAccount = 'bob-km-harvest';

const keyFile = (user: MailUser): string => join(files, `${user}.p12`);
const passwordFile = (): string => join(files, 'key-file-password.txt');

async function enroll(user: MailUser): Promise<void> {
  const { temporaryKey } = await enableMailbox(km, stack.email(user), adminPasswords.slice(0, 2));
  const run = await sealmail([
    'enroll',
    '--km',
    server.url,
    '--km-ca',
    join(files, 'km-ca.pem'),
    '--email',
    stack.email(user),
    '--temporary-key',
    temporaryKey,
    '--key-file',
    keyFile(user),
    '--password-file',
    passwordFile(),
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

/** What `sealmail open` says, in bob's home (where harvested certificates are kept). */
async function bobOpens(file: string): Promise<{ run: CliRun; signature: string }> {
  const run = await sealmail([
    '--home',
    bobHome,
    'open',
    '--in',
    file,
    '--key-file',
    keyFile('bob'),
    '--password-file',
    passwordFile(),
  ]);
  expect(run.code).toBe(0);
  return { run, signature: /^signature: (\w+)/m.exec(run.stdout)?.[1] ?? run.stdout };
}

/** Bob writes to alice, signed and encrypted, with no --km: only harvested certificates count. */
function bobSendsToAlice(subject: string): Promise<CliRun> {
  return sealmail([
    '--home',
    bobHome,
    'mail',
    'send',
    '--account',
    bobAccount,
    '--to',
    stack.email('alice'),
    '--subject',
    subject,
    '--body-file',
    join(files, 'reply.txt'),
    '--sign',
    '--encrypt',
    '--key-file',
    keyFile('bob'),
    '--password-file',
    passwordFile(),
  ]);
}

beforeAll(async () => {
  stack = await startMailStack();
  bobHome = tempHome().root;
  files = `${bobHome}-files`;
  mkdirSync(files);
  writeFileSync(passwordFile(), 'a key file password\n');
  writeFileSync(join(files, 'bob-password'), `${stack.password('bob')}\n`);
  writeFileSync(join(files, 'reply.txt'), 'Alice,\n\nthe figures you asked for: 42.\n\nBob\n');
  writeFileSync(
    join(files, 'from-alice.eml'),
    'From: alice@example.test\r\nTo: bob@example.test\r\nSubject: figures\r\n\r\nBob, can you send me the figures?\r\n',
  );
  km = await startTestKm({ required: 2 });
  server = await startKmServer(
    { ...km, encryptionKeyType: 'P-256', requestsPerMinute: 1000 },
    { listen: { host: '127.0.0.1', port: 0 } },
  );
  writeFileSync(
    join(files, 'km-ca.pem'),
    `-----BEGIN CERTIFICATE-----\n${Buffer.from(km.caCertificate).toString('base64')}\n-----END CERTIFICATE-----\n`,
  );
  await enroll('alice');
  await enroll('bob');
  const added = await sealmail([
    ...accountAddArgs(stack, 'bob', {
      home: bobHome,
      name: bobAccount,
      passwordFile: join(files, 'bob-password'),
    }),
    '--ca-file',
    stack.caFile,
  ]);
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  const signed = await sealmail([
    'seal',
    '--in',
    join(files, 'from-alice.eml'),
    '--out',
    join(files, 'signed-by-alice.eml'),
    '--sign',
    '--key-file',
    keyFile('alice'),
    '--password-file',
    passwordFile(),
  ]);
  expect(signed.stderr).toContain('Sealed message written');
  expect(signed.code).toBe(0);
}, 240_000);

afterAll(async () => {
  await server?.close();
  await km?.close();
  await stack?.stop();
});

describe('certificates harvested by sealmail open', () => {
  it('a signature that does not verify saves nothing, and bob cannot encrypt to alice yet', async () => {
    const genuine = readFileSync(join(files, 'signed-by-alice.eml'), 'utf8');
    const tampered = join(files, 'tampered.eml');
    const changed = genuine.replace('can you send me the figures?', 'send the figures to eve.');
    expect(changed).not.toBe(genuine);
    writeFileSync(tampered, changed);
    const opened = await bobOpens(tampered);
    expect(opened.signature).toBe('invalid');
    expect(opened.run.stdout).not.toContain('saved for encrypted replies');

    const refused = await bobSendsToAlice('figures (too early)');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${stack.email('alice')}: no certificate is known`);
  });

  it('after bob opens alice’s validly signed mail, he sends her encrypted mail she can open', async () => {
    const opened = await bobOpens(join(files, 'signed-by-alice.eml'));
    expect(opened.signature).toBe('valid');
    expect(opened.run.stdout).toContain(`encryption certificate of ${stack.email('alice')} saved`);

    const sent = await bobSendsToAlice('figures');
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('sealed (signed and encrypted)');
    const messageId = /<[^<>\s]+@example\.test>/.exec(sent.stdout)?.[0] ?? 'no Message-ID printed';
    expect(await settledCount(stack, 'alice', messageId)).toBe(1);

    const received = join(files, 'received-by-alice.eml');
    writeFileSync(received, await fetchByMessageId(stack, 'alice', 'INBOX', messageId));
    const aliceOpens = await sealmail([
      '--home',
      tempHome().root,
      'open',
      '--no-harvest',
      '--in',
      received,
      '--out',
      `${received}.opened`,
      '--key-file',
      keyFile('alice'),
      '--password-file',
      passwordFile(),
      '--json',
    ]);
    expect(aliceOpens.code).toBe(0);
    expect(JSON.parse(aliceOpens.stdout)).toMatchObject({
      encrypted: true,
      decrypted: true,
      signature: 'valid',
      signer: { email: stack.email('bob') },
    });
    expect(readFileSync(`${received}.opened`, 'utf8')).toContain('the figures you asked for: 42');
  });
});
