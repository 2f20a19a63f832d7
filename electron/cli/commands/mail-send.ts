// `sealmail mail send`: compose, queue durably, and try to deliver at once. A temporary failure
// leaves the message queued and is not an error (exit 0, "queued <Message-ID>: why; kept in the
// Outbox"); a permanent one is (exit 1), and the message stays in the Outbox either way.
// `mail list|fetch` share the `mail` command from mail-read.ts.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import { SealmailError } from '../../../core/errors.js';
import { outgoingMessageSchema } from '../../../core/api/schemas.js';
import { commandGroup, type CliContext } from '../program.js';
import { permanentFailure, reportDelivery, withOutbox } from './outbox.js';
import { sealedSendSetup, reportSealed, type SealedSendSetup } from './mail-send-sealed.js';
import { obeyMessageLimits } from './policy-limits.js';

interface SendOptions {
  account: string;
  to: string[];
  cc?: string[];
  subject: string;
  bodyFile: string;
  attach?: string[];
  sign?: boolean;
  encrypt?: boolean;
  keyFile?: string;
  passwordFile?: string;
  km?: string;
  kmCa?: string;
  ifRecipientLacksCertificate: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function readInput(path: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new SealmailError('INVALID_REQUEST', `cannot read ${flag} ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function messageFrom(options: SendOptions) {
  const text = (await readInput(options.bodyFile, '--body-file')).toString('utf8');
  const attachments = [];
  for (const path of options.attach ?? []) {
    const content = await readInput(path, '--attach');
    attachments.push({
      filename: basename(path),
      contentType: detectMimeType(extname(path).slice(1)) || 'application/octet-stream',
      content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength),
    });
  }
  const parsed = outgoingMessageSchema.safeParse({
    to: options.to,
    cc: options.cc ?? [],
    subject: options.subject,
    text,
    attachments,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue?.path[0] === 'to'
        ? '--to'
        : issue?.path[0] === 'cc'
          ? '--cc'
          : `--${String(issue?.path[0] ?? 'input')}`;
    const value =
      issue?.path.length === 2
        ? ` "${String(options[issue.path[0] as 'to' | 'cc']?.[Number(issue.path[1])])}"`
        : '';
    throw new SealmailError('INVALID_REQUEST', `${where}${value}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function registerMailSendCommands(program: Command, context: CliContext): void {
  const mail = commandGroup(program, 'mail', 'list, read and send mail');

  mail
    .command('send')
    .description('send a plain message; it waits in the Outbox if the server cannot take it now')
    .requiredOption('--account <name>', 'the account to send from')
    .requiredOption('--to <address>', 'a recipient (repeat for more)', collect)
    .option('--cc <address>', 'a copy recipient (repeat for more)', collect)
    .requiredOption('--subject <text>', 'the subject')
    .requiredOption('--body-file <file>', 'a UTF-8 text file with the body')
    .option('--attach <file>', 'a file to attach (repeat for more)', collect)
    .option('--sign', 'sign with the key file’s signing key (S/MIME)')
    .option('--encrypt', 'encrypt to each recipient’s certificate and to yourself (S/MIME)')
    .option('--key-file <file>', 'your Sealmail key file (needed with --sign or --encrypt)')
    .option('--password-file <file>', 'a file holding the key file’s password')
    .option('--km <url>', 'the KM whose directory has the recipients’ certificates, https://HOST:PORT')
    .option('--km-ca <file>', 'the KM CA (PEM) that the KM’s HTTPS certificate must chain to')
    .option(
      '--if-recipient-lacks-certificate <choice>',
      'with --encrypt: remove, send-unencrypted or cancel',
      'cancel',
    )
    .action(async (options: SendOptions) => {
      const message = await messageFrom(options);
      // The organisation's limits (issue 7), before any crypto work or queueing.
      await obeyMessageLimits(message, context);
      // With --sign or --encrypt the message is sealed before it is queued (issue 4).
      const sealed: SealedSendSetup | null = await sealedSendSetup(options, context);
      const failed = await withOutbox(context, async ({ outbox, accounts }) => {
        const all = await accounts.services.list();
        const account =
          all.find((a) => a.name === options.account) ?? all.find((a) => a.id === options.account);
        if (!account)
          throw new SealmailError(
            'NOT_FOUND',
            `there is no account named "${options.account}"; \`sealmail account list\` shows the accounts there are`,
          );
        const item = sealed
          ? reportSealed(context, await sealed.queue(outbox, account, message))
          : await outbox.queue(account.id, message);
        const result = await outbox.deliverNow(item.id);
        if (!result) {
          context.out('queued: another Sealmail process is sending it right now');
          return [];
        }
        return reportDelivery(context, result);
      });
      if (failed.length > 0) throw permanentFailure(failed);
    });
}
