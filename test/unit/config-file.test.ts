// config.json: accounts without passwords, written atomically, and clear errors when damaged.
import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, writeConfig } from '../../electron/services/config/config-file.js';
import type { StoredAccount } from '../../electron/services/accounts/stored-account.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'sealmail-config-')), 'config.json');

const account: StoredAccount = {
  id: 'work',
  name: 'Work',
  email: 'alice@example.test',
  username: 'alice',
  imap: { host: 'imap.example.test', port: 993, tls: 'tls' },
  smtp: { host: 'smtp.example.test', port: 587, tls: 'starttls' },
  caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
};

test('no file yet means no accounts', async () => {
  expect(await readConfig(file())).toEqual({ version: 1, accounts: [] });
});

test('accounts round-trip through the file', async () => {
  const path = file();
  await writeConfig(path, { version: 1, accounts: [account] });
  expect(await readConfig(path)).toEqual({ version: 1, accounts: [account] });
  expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1 });
});

test('a file that is not JSON, or not a Sealmail config, is STORAGE_FAILED naming the file', async () => {
  const broken = file();
  writeFileSync(broken, '{ "version": 1, ');
  await expect(readConfig(broken)).rejects.toMatchObject({
    code: 'STORAGE_FAILED',
    message: `${broken} is not valid JSON; fix or remove it`,
  });
  const foreign = file();
  writeFileSync(foreign, JSON.stringify({ version: 1, accounts: [{ id: 'x' }] }));
  await expect(readConfig(foreign)).rejects.toMatchObject({
    code: 'STORAGE_FAILED',
    message: expect.stringMatching(/is not a Sealmail config .*; fix or remove it$/),
  });
});
