// The files `sealmail seal` and `sealmail open` read and write: messages (`-` for stdin and
// stdout), password files, the key file, trust anchors and CRLs. Everything is turned into the
// shapes core/smime takes, with a coded error that names the file when it cannot be used.
import { readFile, writeFile } from 'node:fs/promises';
import { SealmailError } from '../../../core/errors.js';
import { readCertificateInfo, type CertificateInfo } from '../../../core/pki/certificate-info.js';
import type { RevocationChecker } from '../../../core/pki/revocation.js';
import { crlRevocationChecker, type CrlSource } from '../../../core/pki/crl/crl-revocation-checker.js';
import type { CertificateFacts } from '../../../core/pki/crl/certificate-facts.js';
import type { CrlSet } from '../../../core/pki/crl/revocation-status.js';
import { loadVerifiedCrl, type VerifiedCrl } from '../../../core/pki/crl/verified-crl.js';
import { readPkcs12 } from '../../../core/keyfile/read-pkcs12.js';
import { contentsFromBags } from '../../../core/keyfile/key-roles.js';
import type { KeyFileContents } from '../../../core/keyfile/key-file-contents.js';
import type { RsaSignatureScheme, SigningIdentity } from '../../../core/smime/sign/signing-identity.js';
import { signingIdentityOfKeyFile } from '../../../core/smime/sign/key-file-identity.js';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Reads a file, or stdin for `-`. */
export async function readInput(path: string, what: string): Promise<Uint8Array> {
  if (path === '-') return readStdin();
  try {
    const data = await readFile(path);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `Cannot read the ${what} ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Writes a file, or stdout for `-`; `data` may be pieces, written one after another unjoined. */
export async function writeOutput(
  path: string,
  data: Uint8Array | readonly Uint8Array[],
  what: string,
): Promise<void> {
  const parts = data instanceof Uint8Array ? [data] : data;
  if (path === '-') {
    for (const part of parts) {
      await new Promise<void>((resolve, reject) =>
        process.stdout.write(part, (error) => (error ? reject(error) : resolve())),
      );
    }
    return;
  }
  try {
    await writeFile(path, parts);
  } catch (error) {
    throw new SealmailError(
      'STORAGE_FAILED',
      `Cannot write the ${what} ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export async function readPassword(path: string): Promise<string> {
  // The newline an editor or `echo` adds is not part of the password.
  return new TextDecoder().decode(await readInput(path, 'password file')).replace(/\r?\n$/, '');
}

/** Every certificate in a PEM file (several blocks allowed) or a single DER certificate. */
export async function readCertificates(path: string, what: string): Promise<CertificateInfo[]> {
  const data = await readInput(path, what);
  if (data[0] === 0x30) return [readCertificateInfo(data, `The ${what} ${path}`)];
  const text = new TextDecoder('latin1').decode(data);
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) {
    throw new SealmailError(
      'MALFORMED_CERTIFICATE',
      `The ${what} ${path} holds no certificate (expected PEM or DER).`,
    );
  }
  return blocks.map((block) =>
    readCertificateInfo(
      new Uint8Array(Buffer.from(block[1].replace(/\s+/g, ''), 'base64')),
      `The ${what} ${path}`,
    ),
  );
}

/** Opens a key file with its password (core/keyfile reads it as PKCS#12). */
export async function unlockKeyFile(keyFile: string, passwordFile: string): Promise<KeyFileContents> {
  const [bytes, password] = await Promise.all([readInput(keyFile, 'key file'), readPassword(passwordFile)]);
  const { bags } = await readPkcs12(bytes, password);
  return contentsFromBags(bags);
}

export function signingIdentityOf(
  contents: KeyFileContents,
  rsaScheme: RsaSignatureScheme = 'pkcs1',
): Promise<SigningIdentity> {
  const noSigningKey = () =>
    new SealmailError('NO_MATCHING_KEY', 'The key file has no signing key, so the message cannot be signed.');
  return signingIdentityOfKeyFile(contents, noSigningKey, rsaScheme);
}

/**
 * CRL files given with `--crl`. Each is authenticated against the issuer the verifier asks
 * about (core/pki/crl does the checking), so a CRL needs no separate `--crl-issuer` flag.
 */
class CrlFiles implements CrlSource {
  private readonly verified = new Map<string, CrlSet | null>();
  constructor(private readonly crls: Uint8Array[]) {}

  async crlsFor(issuer: CertificateFacts): Promise<CrlSet | null> {
    const key = Array.from(issuer.spki, (b) => b.toString(16).padStart(2, '0')).join('');
    if (this.verified.has(key)) return this.verified.get(key) ?? null;
    let newest: VerifiedCrl | null = null;
    for (const crl of this.crls) {
      const loaded = await loadVerifiedCrl(crl, issuer).catch(() => null);
      if (
        loaded &&
        loaded.facts.baseCrlNumber === null &&
        (!newest || loaded.facts.thisUpdate > newest.facts.thisUpdate)
      ) {
        newest = loaded;
      }
    }
    const set = newest ? { complete: newest, delta: null } : null;
    this.verified.set(key, set);
    return set;
  }
}

export async function revocationFromFiles(paths: readonly string[]): Promise<RevocationChecker | undefined> {
  if (paths.length === 0) return undefined;
  const crls = await Promise.all(paths.map((path) => readInput(path, 'CRL')));
  return crlRevocationChecker(new CrlFiles(crls), 'warn');
}
