// The `sealmail` command line. Each command family registers itself from its own file; they all
// run over the same services as the desktop app (ARCHITECTURE.md: cli/ over services/).
import { Command, CommanderError } from 'commander';
import { SealmailError, toErrorInfo } from '../../core/errors.js';
import { resolveHome, type SealmailHome } from '../services/home.js';
import { commandFamilies } from './commands/index.js';

export interface CliContext {
  /** Resolved lazily so `--help` never creates directories. */
  home(): SealmailHome;
  out(text: string): void;
  err(text: string): void;
}

/** `mail list` and `mail send` live in different files but share one `mail` command. */
export function commandGroup(program: Command, name: string, description: string): Command {
  return (
    program.commands.find((command) => command.name() === name) ??
    program.command(name).description(description)
  );
}

/**
 * The top-level command `argv` names, skipping global options (`--home DIR`), or undefined for
 * help and bare invocations.
 */
function commandNameIn(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--home') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/**
 * The program with the command families `argv` needs: only the one that owns the command when
 * it is known, every family otherwise, so that help and "unknown command" list them all.
 */
export async function buildProgram(context: CliContext, argv: readonly string[] = []): Promise<Command> {
  const name = commandNameIn(argv);
  const owning = commandFamilies.filter((family) => name !== undefined && family.names.includes(name));
  const families = owning.length > 0 ? owning : commandFamilies;
  const registers = await Promise.all(families.map((family) => family.load()));
  const program = new Command('sealmail')
    .description('Sealmail: mail with signing and encryption enrolled by your organisation')
    .option('--home <dir>', 'where config, cache and outbox live (or SEALMAIL_HOME)')
    .exitOverride()
    .showHelpAfterError();
  for (const register of registers) register(program, context);
  return program;
}

/** Exit codes: 0 success, 1 a coded failure, 2 bad usage. */
export async function runCli(argv: string[]): Promise<number> {
  let homeFlag: string | undefined;
  const context: CliContext = {
    home: () => resolveHome(homeFlag),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
  const program = await buildProgram(context, argv);
  program.hook('preAction', (root) => {
    homeFlag = root.opts<{ home?: string }>().home;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const info = toErrorInfo(error);
    context.err(`sealmail: ${info.code}: ${info.message}`);
    return error instanceof SealmailError ? 1 : 70;
  }
}
