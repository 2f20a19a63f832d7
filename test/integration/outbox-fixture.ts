// What the outbox tests share: looking into a user's mailbox as that user would (imapflow),
// waiting until Postfix has handed everything to Dovecot, and a relay that can stall a connection.
import { execFile } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { MailStack, MailUser } from '../support/mailstack.js';

const run = promisify(execFile);

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withMailbox<T>(
  stack: MailStack,
  user: MailUser,
  action: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: stack.ports.imaps,
    secure: true,
    auth: { user: stack.email(user), pass: stack.password(user) },
    tls: { ca: stack.caPem },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** How many messages in `folder` carry this Message-ID header. */
export function countByMessageId(
  stack: MailStack,
  user: MailUser,
  folder: string,
  messageId: string,
): Promise<number> {
  return withMailbox(stack, user, async (client) => {
    const lock = await client.getMailboxLock(folder);
    try {
      const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      return uids ? uids.length : 0;
    } finally {
      lock.release();
    }
  });
}

/** The raw bytes of the one message with this Message-ID in `folder`. */
export function fetchByMessageId(
  stack: MailStack,
  user: MailUser,
  folder: string,
  messageId: string,
): Promise<Buffer> {
  return withMailbox(stack, user, async (client) => {
    const lock = await client.getMailboxLock(folder);
    try {
      const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
      const uid = uids[0];
      if (uid === undefined) throw new Error(`no message ${messageId} in ${user}'s ${folder}`);
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (!message || !message.source) throw new Error(`cannot fetch ${messageId}`);
      return message.source;
    } finally {
      lock.release();
    }
  });
}

async function postfixQueueIsEmpty(stack: MailStack): Promise<boolean> {
  const { stdout } = await run('/usr/sbin/postqueue', ['-c', join(stack.dir, 'postfix', 'etc'), '-p']);
  return /Mail queue is empty/.test(stdout);
}

/**
 * Waits until the message has reached `user`'s INBOX and Postfix holds nothing more (so a
 * duplicate could not still be on its way), then says how many copies there are. The test's
 * own timeout is the only clock.
 */
export async function settledCount(stack: MailStack, user: MailUser, messageId: string): Promise<number> {
  for (;;) {
    const count = await countByMessageId(stack, user, 'INBOX', messageId);
    if (count > 0 && (await postfixQueueIsEmpty(stack)))
      return countByMessageId(stack, user, 'INBOX', messageId);
    await pause(100);
  }
}

/**
 * A TCP relay in front of a real server. "pass" forwards both ways; "stall" forwards the
 * server's greeting and then nothing more, as a server that hangs after greeting does. The
 * greeting matters: it moves the client from its short greeting timeout to its long socket
 * timeout, so the test can act before the client gives up. This is a real network fault, not a
 * mock: every byte the client sees comes from the real server.
 */
export interface StallingRelay {
  port: number;
  mode: 'pass' | 'stall';
  /** Resolves when the relay next stalls a connection (after passing on its greeting). */
  nextStalledConnection(): Promise<void>;
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<StallingRelay> {
  const sockets = new Set<Socket>();
  let waiting: (() => void)[] = [];
  const relay: StallingRelay = {
    port: 0,
    mode: 'pass',
    nextStalledConnection: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    track(client);
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    if (relay.mode === 'stall') {
      upstream.once('data', (greeting) => {
        client.write(greeting);
        upstream.pause();
        const woken = waiting;
        waiting = [];
        for (const wake of woken) wake();
      });
      return;
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  relay.port = address.port;
  return relay;
}
