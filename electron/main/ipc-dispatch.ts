// One entry point for every request from the renderer, whatever carried it (ARCHITECTURE.md
// invariant 4): the channel must be on the allowlist, the payload must match its schema, and
// the answer is always a result envelope. Errors are logged here, never swallowed.
import type { z } from 'zod';
import { isChannel, type Channel } from '../../core/api/channels.js';
import { requestSchemas, type ValidRequestOf } from '../../core/api/schemas.js';
import { toErrorInfo, type Result } from '../../core/errors.js';
import type { HandlerTable } from './ipc-handlers.js';

export type ErrorLog = (message: string, error: unknown) => void;

const logToConsole: ErrorLog = (message, error) => console.error(message, error);

export async function dispatch(
  table: HandlerTable,
  channel: unknown,
  payload: unknown,
  log: ErrorLog = logToConsole,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: {
        code: 'UNKNOWN_CHANNEL',
        message: `"${String(channel).slice(0, 100)}" is not a Sealmail channel.`,
      },
    };
  }
  const parsed = requestSchemas[channel].safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'INVALID_REQUEST',
        message: `Invalid ${channel} request: ${describeIssues(parsed.error)}`,
      },
    };
  }
  try {
    return { ok: true, value: await run(table, channel, parsed.data as ValidRequestOf<typeof channel>) };
  } catch (error) {
    const info = toErrorInfo(error);
    // A coded error is an expected outcome the user sees (a wrong password, a server down): one
    // line is enough. Only the unforeseen deserves the stack.
    if (info.code === 'INTERNAL') log(`sealmail: ${channel} failed with ${info.code}:`, error);
    else log(`sealmail: ${channel} failed with ${info.code}:`, info.message);
    return { ok: false, error: info };
  }
}

function run<C extends Channel>(
  table: HandlerTable,
  channel: C,
  request: ValidRequestOf<C>,
): Promise<unknown> {
  const handler: HandlerTable[C] = table[channel];
  return handler(request);
}

/** "message.to.1: not an e-mail address; limit: Too big: ..." — the field, then the problem. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(request)'}: ${issue.message}`)
    .join('; ');
}
