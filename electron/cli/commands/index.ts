// The command families of `sealmail`, one file each.
import type { Command } from 'commander';
import type { CliContext } from '../program.js';
import { registerAccountCommands } from './account.js';
import { registerCrlCommands } from './crl.js';
import { registerKeyFileCommands } from './keyfile.js';
import { registerMailReadCommands } from './mail-read.js';
import { registerMailSendCommands } from './mail-send.js';
import { registerOutboxCommands } from './outbox.js';
import { registerOpenCommand } from './open.js';
import { registerSealCommand } from './seal.js';

export type RegisterCommands = (program: Command, context: CliContext) => void;

export const commandFamilies: RegisterCommands[] = [
  registerAccountCommands,
  registerMailReadCommands,
  registerMailSendCommands,
  registerOutboxCommands,
  registerCrlCommands,
  registerSealCommand,
  registerOpenCommand,
  registerKeyFileCommands,
];
