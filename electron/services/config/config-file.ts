// config.json: the accounts (server settings, never a password) and nothing secret. Written
// atomically so a crash leaves the old file or the new one, never half of one.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SealmailError } from '../../../core/errors.js';
import { serverSettingsSchema } from '../../../core/api/schemas.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { StoredAccount } from '../accounts/stored-account.js';

const storedAccountSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().min(1),
  username: z.string().min(1),
  imap: serverSettingsSchema,
  smtp: serverSettingsSchema,
  caPem: z.string().optional(),
});

const configSchema = z.object({
  version: z.literal(1),
  accounts: z.array(storedAccountSchema),
});

export interface SealmailConfig {
  version: 1;
  accounts: StoredAccount[];
}

export async function readConfig(configFile: string): Promise<SealmailConfig> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, accounts: [] };
    throw new SealmailError('STORAGE_FAILED', `cannot read ${configFile}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SealmailError('STORAGE_FAILED', `${configFile} is not valid JSON; fix or remove it`, {
      cause: error,
    });
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success)
    throw new SealmailError(
      'STORAGE_FAILED',
      `${configFile} is not a Sealmail config (${parsed.error.issues[0]?.message ?? 'unknown shape'}); fix or remove it`,
    );
  return parsed.data;
}

export async function writeConfig(configFile: string, config: SealmailConfig): Promise<void> {
  try {
    await writeFileAtomic(configFile, `${JSON.stringify(config, null, 2)}\n`);
  } catch (error) {
    throw new SealmailError('STORAGE_FAILED', `cannot write ${configFile}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
