// The command families of `sealmail`, one file each. Each is imported only when one of its
// commands runs (or for help): `sealmail seal` must not pay for loading IMAP, SMTP, SQLite and the
// KM client, which took the start-up from 0.1 s to over 1 s (bench/smime.ts, issue 3 "Size").
import type { Command } from 'commander';
import type { CliContext } from '../program.js';

export type RegisterCommands = (program: Command, context: CliContext) => void;

export interface CommandFamily {
  /** The top-level command names the family registers (`mail` is shared by two families). */
  names: readonly string[];
  load(): Promise<RegisterCommands>;
}

export const commandFamilies: CommandFamily[] = [
  { names: ['account'], load: async () => (await import('./account.js')).registerAccountCommands },
  { names: ['mail'], load: async () => (await import('./mail-read.js')).registerMailReadCommands },
  { names: ['mail'], load: async () => (await import('./mail-send.js')).registerMailSendCommands },
  { names: ['outbox'], load: async () => (await import('./outbox.js')).registerOutboxCommands },
  { names: ['crl'], load: async () => (await import('./crl.js')).registerCrlCommands },
  { names: ['seal'], load: async () => (await import('./seal.js')).registerSealCommand },
  { names: ['open'], load: async () => (await import('./open.js')).registerOpenCommand },
  { names: ['keyfile'], load: async () => (await import('./keyfile.js')).registerKeyFileCommands },
  { names: ['km'], load: async () => (await import('./km.js')).registerKmCommands },
  { names: ['enroll', 'renew'], load: async () => (await import('./enroll.js')).registerEnrollCommands },
  { names: ['policy'], load: async () => (await import('./policy.js')).registerPolicyCommands },
];
