// The page ↔ worker protocol (renderer/src/crypto/worker-protocol.ts) over a real MessageChannel
// in Node, with the same serveCryptoCalls the Worker runs: errors arrive on the page as
// SealmailError with the worker's code, redeem's progress reaches the page, and the page invokes
// only the worker's allowlisted channels. Main is the FAKE of crypto-worker-fake-main.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../core/api/channels.js';
import type { SealmailApi } from '../../core/api/types.js';
import { SealmailError, toErrorInfo, type Result } from '../../core/errors.js';
import type { RedeemProgress } from '../../renderer/src/crypto/crypto-client.js';
import {
  createCryptoClient,
  type CryptoWorkerEndpoint,
} from '../../renderer/src/crypto/page-crypto-client.js';
import { serveCryptoCalls } from '../../renderer/src/crypto/serve-crypto-calls.js';
import type { MessageEndpoint, WorkerMessage } from '../../renderer/src/crypto/worker-protocol.js';
import { isWorkerChannel, type WorkerChannel } from '../../renderer/src/crypto/operations/worker-ipc.js';
import { createTestPki, type TestPki } from '../support/openssl-pki.js';
import { plainMessage, text } from '../support/smime-identities.js';
import { FakeMain } from './crypto-worker-fake-main.js';
import { enrollInFake, makePerson, type Person } from './crypto-worker-support.js';

let pki: TestPki;
let alice: Person;
const open: MessagePort[] = [];

beforeAll(() => {
  pki = createTestPki();
  alice = makePerson(pki, 'alice');
});
afterAll(() => pki.cleanup());
afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

/** The typed API the page has, answering from the fake and recording every channel asked. */
function apiOver(fake: FakeMain, asked: Channel[]): Pick<SealmailApi, 'invoke'> {
  const invoke = async (channel: Channel, request: unknown): Promise<Result<unknown>> => {
    asked.push(channel);
    try {
      return { ok: true, value: await fake.invoke(channel as WorkerChannel, request as never) };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  };
  return { invoke: invoke as SealmailApi['invoke'] };
}

function channelPair(): { page: CryptoWorkerEndpoint; worker: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  port1.start();
  port2.start();
  return { page: port1 as unknown as CryptoWorkerEndpoint, worker: port2 };
}

function servedPair(): CryptoWorkerEndpoint {
  const { page, worker } = channelPair();
  serveCryptoCalls(worker as unknown as MessageEndpoint<WorkerMessage>);
  return page;
}

describe('the crypto worker protocol', () => {
  it('delivers a locked key as a SealmailError with code KEYFILE_LOCKED', async () => {
    const fake = new FakeMain();
    await enrollInFake(fake, pki, alice);
    const client = createCryptoClient(apiOver(fake, []), servedPair());
    const sealing = client.seal({ accountId: alice.email, raw: plainMessage(), sign: true, encryptTo: null });
    await expect(sealing).rejects.toBeInstanceOf(SealmailError);
    await expect(sealing).rejects.toMatchObject({ code: 'KEYFILE_LOCKED' });
  });

  it('seals and opens through the page, which invokes only the worker’s channels', async () => {
    const fake = new FakeMain();
    await enrollInFake(fake, pki, alice);
    const asked: Channel[] = [];
    const client = createCryptoClient(apiOver(fake, asked), servedPair());
    await client.unlock(alice.email, alice.password);
    expect(await client.isUnlocked(alice.email)).toBe(true);
    const sealed = await client.seal({
      accountId: alice.email,
      raw: plainMessage({ body: 'Through the worker.\r\n' }),
      sign: true,
      encryptTo: [],
    });
    const opened = await client.open({ accountId: alice.email, raw: sealed });
    expect(opened.report).toMatchObject({ encrypted: true, decrypted: true, signature: 'valid' });
    expect(text(opened.content)).toContain('Through the worker.');
    expect(asked).toContain('keyfile.read');
    expect(asked.filter((channel) => !isWorkerChannel(channel))).toEqual([]);
  }, 60_000);

  it('reports redeem progress on the page and refuses a mistyped key before contacting the KM', async () => {
    const asked: Channel[] = [];
    const client = createCryptoClient(apiOver(new FakeMain(), asked), servedPair());
    const steps: RedeemProgress[] = [];
    await expect(
      client.redeem(
        { accountId: 'alice', email: alice.email, temporaryKey: 'ABCD-EFGH', password: 'pw' },
        (progress) => steps.push(progress),
      ),
    ).rejects.toMatchObject({ code: 'TEMPORARY_KEY_MALFORMED' });
    expect(steps).toEqual([{ step: 'checking-key' }]);
    expect(asked).toEqual([]);
  });

  it('refuses a channel outside the worker’s allowlist without invoking it', async () => {
    const asked: Channel[] = [];
    const { page, worker } = channelPair();
    createCryptoClient(apiOver(new FakeMain(), asked), page);
    const answer = new Promise<unknown>((resolve) =>
      worker.addEventListener('message', (event) => resolve(event.data)),
    );
    worker.postMessage({ kind: 'ipc', id: 7, channel: 'mail.send', request: {} });
    expect(await answer).toEqual({
      kind: 'ipc-result',
      id: 7,
      result: { ok: false, error: expect.objectContaining({ code: 'UNKNOWN_CHANNEL' }) },
    });
    expect(asked).toEqual([]);
  });

  it('fails waiting calls in plain words when the worker stops', async () => {
    const { page } = channelPair();
    const client = createCryptoClient(apiOver(new FakeMain(), []), page);
    const waiting = client.isUnlocked('alice');
    (page as unknown as EventTarget).dispatchEvent(new Event('error'));
    await expect(waiting).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/Restart Sealmail/),
    });
  });
});
