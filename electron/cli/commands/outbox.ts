// `sealmail outbox list|flush|retry|remove`: the persistent outbox from a terminal. The CLI does
// not deliver in the background: a command makes its attempts and exits, and whatever is left
// waits on disk for the next flush or for the desktop app.
import type { Command } from 'commander';
import type { OutboxItem } from '../../../core/api/types.js';
import { SealmailError } from '../../../core/errors.js';
import type { CliContext } from '../program.js';
import { EventBus } from '../../services/event-bus.js';
import { createKeychain } from '../../services/keychain.js';
import { createAccountStore, type AccountStore } from '../../services/accounts/account-services.js';
import {
  createOutboxService,
  type DeliveryResult,
  type OutboxService,
} from '../../services/outbox/outbox-service.js';

export interface CliOutbox {
  outbox: OutboxService;
  accounts: AccountStore;
}

export async function withOutbox<T>(
  context: CliContext,
  action: (opened: CliOutbox) => Promise<T>,
): Promise<T> {
  const home = context.home();
  const keychain = createKeychain();
  // The CLI never removes accounts, so there is nothing to do when one is removed.
  const accounts = createAccountStore(home.configFile, keychain, async () => undefined);
  const outbox = createOutboxService({
    outboxDir: home.outboxDir,
    events: new EventBus(),
    getAccount: (id) => accounts.get(id),
    getPassword: (id) => keychain.getPassword(id),
  });
  try {
    return await action({ outbox, accounts });
  } finally {
    await outbox.close();
  }
}

const flushHint = 'the message is kept in the Outbox and will be retried (`sealmail outbox flush`)';

function stayHint(id: string): string {
  return `the message stays in the Outbox: \`sealmail outbox retry ${id}\` after fixing it, or \`sealmail outbox remove ${id}\``;
}

/** One line per outcome, in the words `mail send` promises; returns the permanent failure, if any. */
export function reportDelivery(context: CliContext, result: DeliveryResult, prefix = ''): OutboxItem[] {
  const { item, refused } = result;
  const failed: OutboxItem[] = [];
  if (item.state === 'sent') {
    context.out(`${prefix}sent ${result.messageId}`);
    if (!result.copiedToSent && item.lastError)
      context.err(
        `${prefix}warning: ${item.lastError.message}; \`sealmail outbox flush\` makes the copy later`,
      );
  } else if (item.state === 'retrying' || item.state === 'queued') {
    context.out(
      `${prefix}queued ${result.messageId}: ${item.lastError?.message ?? 'not tried yet'}; ${flushHint}`,
    );
  } else if (item.state === 'failed') {
    context.err(
      `${prefix}failed ${result.messageId}: ${item.lastError?.message ?? 'unknown reason'}; ${stayHint(item.id)}`,
    );
    failed.push(item);
  }
  for (const other of refused) {
    const who = other.recipients.join(', ');
    const why = other.lastError?.message ?? 'no reason given';
    if (other.state === 'failed') {
      context.err(`${prefix}not sent to ${who}: ${why}; ${stayHint(other.id)}`);
      failed.push(other);
    } else context.err(`${prefix}not yet sent to ${who}: ${why}; ${flushHint}`);
  }
  return failed;
}

export function permanentFailure(failed: OutboxItem[]): SealmailError {
  const first = failed[0]?.lastError;
  const code = first?.code ?? 'SMTP_PERMANENT';
  return new SealmailError(
    code,
    failed.length === 1
      ? `${first?.message ?? 'the message could not be sent'} (outbox item ${failed[0]?.id})`
      : `${failed.length} messages could not be sent and stay in the Outbox; see \`sealmail outbox list\``,
  );
}

function describe(item: OutboxItem): string {
  const when = item.state === 'retrying' && item.nextAttemptAt ? ` (next try ${item.nextAttemptAt})` : '';
  const why = item.lastError ? `\t${item.lastError.message}` : '';
  return `${item.id}\t${item.state}${when}\t${item.subject}\t${item.recipients.join(', ')}${why}`;
}

export function registerOutboxCommands(program: Command, context: CliContext): void {
  const outbox = program.command('outbox').description('messages waiting to be sent');

  outbox
    .command('list')
    .description('list the messages in the Outbox, oldest first')
    .option(
      '--json',
      'print JSON: [{id, accountId, subject, recipients, state, attempts, nextAttemptAt, lastError, createdAt}]',
    )
    .action(async (options: { json?: boolean }) => {
      const items = await withOutbox(context, ({ outbox: service }) => service.list());
      if (options.json) context.out(JSON.stringify(items, null, 2));
      else if (items.length === 0) context.out('the Outbox is empty');
      else for (const item of items) context.out(describe(item));
    });

  outbox
    .command('flush')
    .description('try every waiting message now; fails if a message cannot be sent at all')
    .action(async () => {
      const failed = await withOutbox(context, async ({ outbox: service }) => {
        const { results, busy } = await service.flush();
        if (results.length === 0 && busy.length === 0) context.out('the Outbox is empty');
        for (const id of busy) context.out(`${id}: another Sealmail process is sending it right now`);
        return results.flatMap((result) => reportDelivery(context, result, `${result.item.id}: `));
      });
      if (failed.length > 0) throw permanentFailure(failed);
    });

  outbox
    .command('retry')
    .description('try a failed message again now')
    .argument('<id>', 'the item id (from `outbox list`)')
    .action(async (id: string) => {
      const failed = await withOutbox(context, async ({ outbox: service }) => {
        await service.retry(id);
        const result = await service.deliverNow(id);
        if (!result) {
          context.out('queued: another Sealmail process is sending it right now');
          return [];
        }
        return reportDelivery(context, result);
      });
      if (failed.length > 0) throw permanentFailure(failed);
    });

  outbox
    .command('remove')
    .description('remove a message from the Outbox without sending it')
    .argument('<id>', 'the item id (from `outbox list`)')
    .action(async (id: string) => {
      await withOutbox(context, ({ outbox: service }) => service.remove(id));
      context.out(`removed ${id}`);
    });
}
