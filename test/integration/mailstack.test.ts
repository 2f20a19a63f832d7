// The harness itself: a real Dovecot and Postfix answer on the ports it reports.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connect } from 'node:net';
import { startMailStack, type MailStack } from '../support/mailstack.js';

let stack: MailStack;
beforeAll(async () => {
  stack = await startMailStack();
});
afterAll(async () => {
  await stack?.stop();
});

function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', reject);
  });
}

test('Dovecot greets on IMAP and Postfix on submission', async () => {
  expect(await greeting(stack.ports.imap)).toMatch(/^\* OK .*IMAP4rev1/);
  expect(await greeting(stack.ports.submission)).toMatch(/^220 mail\.example\.test ESMTP/);
});

test('Postfix can be stopped and started again for outage tests', async () => {
  await stack.stopPostfix();
  await expect(greeting(stack.ports.submission)).rejects.toThrow(/ECONNREFUSED/);
  await stack.startPostfix();
  expect(await greeting(stack.ports.submission)).toMatch(/^220 /);
});
