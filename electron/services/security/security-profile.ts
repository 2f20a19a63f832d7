// Where an account's Advanced Security lives in the Sealmail home: <home>/security/<id>.p12 (the
// key file's ENCRYPTED bytes, 0600) and <home>/security/<id>.json, the profile: the KM address and
// its pinned CA, the user's sign/encrypt defaults and the public certificates the worker reported
// at keyfile.save, so status and recipient checks work without the password (ARCHITECTURE.md
// invariant 1: nothing secret is in either file main can read).
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SealmailError } from '../../../core/errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { SealmailHome } from '../home.js';

const profileSchema = z.object({
  km: z.object({ url: z.string(), caPem: z.string().nullable() }).nullable(),
  defaults: z.object({ sign: z.boolean(), encrypt: z.boolean() }).nullable(),
  /** base64 DER of the key file's own certificates, in the order the worker gave them. */
  certificates: z.array(z.string()),
  /** base64 DER of the issuing CA chain (the trust anchors for recipients). */
  caCertificates: z.array(z.string()),
  /** When the key file was last saved (ISO), for support. */
  savedAt: z.string().nullable(),
});

export interface SecurityProfile {
  km: { url: string; caPem: string | null } | null;
  defaults: { sign: boolean; encrypt: boolean } | null;
  certificates: Uint8Array[];
  caCertificates: Uint8Array[];
  savedAt: string | null;
}

export const emptyProfile: SecurityProfile = {
  km: null,
  defaults: null,
  certificates: [],
  caCertificates: [],
  savedAt: null,
};

export function securityDir(home: SealmailHome): string {
  return join(home.root, 'security');
}

/** Account ids are slugs already; encoding keeps any other id inside the folder all the same. */
function fileStem(home: SealmailHome, accountId: string): string {
  return join(securityDir(home), encodeURIComponent(accountId));
}

export function keyFilePath(home: SealmailHome, accountId: string): string {
  return `${fileStem(home, accountId)}.p12`;
}

export function profilePath(home: SealmailHome, accountId: string): string {
  return `${fileStem(home, accountId)}.json`;
}

/** Whether the account has a key file, without reading it (status asks often). */
export async function hasKeyFile(home: SealmailHome, accountId: string): Promise<boolean> {
  try {
    return (await stat(keyFilePath(home, accountId))).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new SealmailError(
      'STORAGE_FAILED',
      `Cannot look for the key file ${keyFilePath(home, accountId)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export async function ensureSecurityDir(home: SealmailHome): Promise<void> {
  await mkdir(securityDir(home), { recursive: true, mode: 0o700 });
}

const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const toBase64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');

export async function readProfile(home: SealmailHome, accountId: string): Promise<SecurityProfile> {
  const path = profilePath(home, accountId);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyProfile;
    throw new SealmailError('STORAGE_FAILED', `Cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // reported below with the schema failure
  }
  const checked = profileSchema.safeParse(parsed);
  if (!checked.success) {
    throw new SealmailError(
      'STORAGE_FAILED',
      `The security settings file ${path} is damaged; set up Advanced Security again or import the key file.`,
    );
  }
  const profile = checked.data;
  return {
    km: profile.km,
    defaults: profile.defaults,
    certificates: profile.certificates.map(fromBase64),
    caCertificates: profile.caCertificates.map(fromBase64),
    savedAt: profile.savedAt,
  };
}

/** Replaces the profile atomically (temp file, fsync, rename): a crash keeps the old one. */
export async function writeProfile(
  home: SealmailHome,
  accountId: string,
  profile: SecurityProfile,
): Promise<void> {
  await ensureSecurityDir(home);
  const stored: z.input<typeof profileSchema> = {
    km: profile.km,
    defaults: profile.defaults,
    certificates: profile.certificates.map(toBase64),
    caCertificates: profile.caCertificates.map(toBase64),
    savedAt: profile.savedAt,
  };
  const path = profilePath(home, accountId);
  try {
    await writeFileAtomic(path, `${JSON.stringify(stored, null, 2)}\n`, 0o600);
  } catch (error) {
    throw new SealmailError(
      'STORAGE_FAILED',
      `Cannot write ${path}: ${(error as Error).message}. The previous settings are unchanged.`,
      { cause: error },
    );
  }
}
