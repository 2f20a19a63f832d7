// `sealmail policy check FILE` (issue 7): IT validates a policy before deploying it. Every problem
// is printed with its key path (stderr) and the exit status is 1 when there is any; a valid
// policy prints the settings it would put in force (stdout). `policy show` prints the policy in
// force for this user: the system file, the per-user defaults and the built-in values merged.
import type { Command } from 'commander';
import { SealmailError } from '../../../core/errors.js';
import type { EffectivePolicy } from '../../../core/policy/effective-policy.js';
import { mergePolicies } from '../../../core/policy/merge-policy.js';
import { summarisePolicy } from '../../../core/policy/policy-summary.js';
import { loadEffectivePolicy, policyFilesFor, readPolicyFile } from '../../services/policy/policy-service.js';
import type { CliContext } from '../program.js';

interface CheckOptions {
  perUser?: boolean;
  json?: boolean;
}

async function check(file: string, options: CheckOptions, context: CliContext): Promise<void> {
  const role = options.perUser ? 'user' : 'system';
  const read = await readPolicyFile(file, role);
  if (read === null) throw new SealmailError('NOT_FOUND', `There is no policy file at ${file}.`);
  const { problems } = read.reading;
  const effective = mergePolicies(role === 'system' ? read : null, role === 'user' ? read : null);
  if (options.json) {
    context.out(JSON.stringify({ valid: problems.length === 0, problems, effective }));
  } else {
    for (const problem of problems) context.err(`${file}: ${problem.path}: ${problem.message}`);
    if (problems.length === 0) {
      context.out(`${file} is a valid Sealmail ${role === 'system' ? 'system' : 'per-user'} policy.`);
      context.out('Settings in force with it (and no other policy file):');
      for (const line of summarisePolicy(effective)) context.out(`  ${line}`);
    }
  }
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new SealmailError(
      'POLICY_INVALID',
      `${file} has ${count}; fix ${problems.length === 1 ? 'it' : 'them'} before deploying (docs/deploying.md lists every setting).`,
    );
  }
}

function show(policy: EffectivePolicy, json: boolean | undefined, context: CliContext): void {
  if (json) return context.out(JSON.stringify(policy));
  context.out(`System policy: ${policy.source ?? 'none'}`);
  for (const line of summarisePolicy(policy)) context.out(`  ${line}`);
  for (const problem of policy.problems)
    context.err(`sealmail: warning: ${problem.code}: ${problem.message}`);
}

export function registerPolicyCommands(program: Command, context: CliContext): void {
  const policy = program.command('policy').description("the organisation's managed policy (policies.json)");
  policy
    .command('check')
    .description('validate a policy file before deploying it; exit 1 on any problem')
    .argument('<file>', 'the policies.json to check')
    .option('--per-user', 'check it as a per-user file (defaults only: "Locked" is a problem there)')
    .option('--json', 'print {valid, problems, effective} as JSON')
    .action((file: string, options: CheckOptions) => check(file, options, context));
  policy
    .command('show')
    .description('the settings in force for this user (system policy, per-user defaults, built-in)')
    .option('--json', 'print the effective policy as JSON')
    .action(async (options: { json?: boolean }) =>
      show(await loadEffectivePolicy(policyFilesFor(context.home())), options.json, context),
    );
}
