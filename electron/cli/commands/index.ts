// The command families of `sealmail`, one file each.
import type { Command } from 'commander';
import type { CliContext } from '../program.js';

export type RegisterCommands = (program: Command, context: CliContext) => void;

export const commandFamilies: RegisterCommands[] = [];
