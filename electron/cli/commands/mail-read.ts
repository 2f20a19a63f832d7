// `sealmail mail list|fetch`: sync a folder and print its headers, or save one raw message.
// `mail send` lives in its own file and shares the `mail` command (commandGroup).
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import { malformedMessageProblems } from '../../services/imap/malformed-message.js';
import { commandGroup, type CliContext } from '../program.js';
import { accountNamed, withMailServices } from './account.js';

const pageSize = 1_000;

function positiveUid(value: string): number {
  const uid = Number(value);
  if (!Number.isInteger(uid) || uid < 1)
    throw new SealmailError(
      'INVALID_REQUEST',
      `--uid ${value} is not a message UID (a positive whole number)`,
    );
  return uid;
}

export function registerMailReadCommands(program: Command, context: CliContext): void {
  const mail = commandGroup(program, 'mail', 'list, read and send mail');

  mail
    .command('list')
    .description('sync a folder, then list its messages, newest first')
    .requiredOption('--account <name>', 'the account')
    .option('--folder <path>', 'the folder', 'INBOX')
    .option('--json', 'print JSON: [{uid, from, to, subject, date, flags, size}]')
    .action(async (options: { account: string; folder: string; json?: boolean }) => {
      const items = await withMailServices(context, async (services) => {
        const accountId = (await accountNamed(services, options.account)).id;
        await services.sync.folder(accountId, options.folder);
        const all = [];
        for (let offset = 0; ; offset += pageSize) {
          const page = await services.messages.list({
            accountId,
            folder: options.folder,
            offset,
            limit: pageSize,
          });
          all.push(...page.items);
          if (page.items.length < pageSize) break;
        }
        return all;
      });
      if (options.json) {
        const rows = items.map(({ uid, from, to, subject, date, flags, size }) => ({
          uid,
          from,
          to,
          subject,
          date,
          flags,
          size,
        }));
        context.out(JSON.stringify(rows, null, 2));
      } else if (items.length === 0) context.out(`${options.folder} is empty`);
      else
        for (const m of items)
          context.out(
            `${m.uid}\t${m.date}\t${m.from}\t${m.subject}${m.flags.includes('\\Seen') ? '' : '\t(unread)'}`,
          );
    });

  mail
    .command('fetch')
    .description('save one message exactly as the server has it')
    .requiredOption('--account <name>', 'the account')
    .option('--folder <path>', 'the folder', 'INBOX')
    .requiredOption('--uid <n>', 'the message UID (from `mail list`)')
    .requiredOption('--out <file>', 'where to write the message; - for standard output')
    .action(async (options: { account: string; folder: string; uid: string; out: string }) => {
      const uid = positiveUid(options.uid);
      const raw = await withMailServices(context, async (services) => {
        const accountId = (await accountNamed(services, options.account)).id;
        return services.messages.fetchRaw({ accountId, folder: options.folder, uid });
      });
      // A malformed message is still saved exactly as the server has it; the warning says why a
      // mail program may show it oddly.
      const problems = malformedMessageProblems(raw);
      if (problems.length > 0)
        context.err(
          `warning: message ${uid} is malformed: ${problems.join('; ')}; saved raw, as the server has it`,
        );
      if (options.out === '-') {
        await new Promise<void>((resolve, reject) =>
          process.stdout.write(raw, (error) => (error ? reject(error) : resolve())),
        );
        return;
      }
      try {
        await writeFile(options.out, raw, { mode: 0o600 });
      } catch (error) {
        throw new SealmailError(
          'STORAGE_FAILED',
          `cannot write ${options.out}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      context.err(`saved message ${uid} (${raw.byteLength} bytes) to ${options.out}`);
    });
}
