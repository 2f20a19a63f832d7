// A throw-away PKI made with the openssl CLI in a temp dir at test time: a root CA, optional
// intermediate CAs, and user certificates shaped like the ones the KM server issues (separate
// signing and encryption certificates, emailProtection EKU, rfc822Name SAN). Nothing is checked
// in: every test run makes fresh keys, so no fixture expires and no private key lives in git.
//
// `openssl ca` (not `x509 -req`) issues the certificates because OpenSSL 3.0 can set explicit
// validity dates only there, and because its database lets tests revoke and publish CRLs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeySpec =
  | { type: 'rsa'; bits?: number }
  | { type: 'ec'; curve: 'P-256' | 'P-384' }
  | { type: 'rsa-pss'; bits?: number };

export interface KeyPair {
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), as `openssl genpkey` writes it. */
  keyPem: string;
  keyFile: string;
  /** PKCS#8 DER of the private key. */
  keyDer: Uint8Array;
}

export interface IssuedCertificate extends KeyPair {
  subject: string;
  email: string | null;
  certPem: string;
  certFile: string;
  certDer: Uint8Array;
  serialHex: string;
}

export interface CertificateAuthority extends IssuedCertificate {
  /** The directory holding this CA's openssl database (index.txt, serial, crlnumber). */
  caDir: string;
}

/** What a certificate is for. 'signing' and 'encryption' follow RFC 8550 §4.4.2 key usages. */
export type CertificatePurpose = 'signing' | 'encryption' | 'both';

export interface UserCertificateOptions {
  email: string;
  commonName?: string;
  key?: KeySpec;
  purpose?: CertificatePurpose;
  /** Put the address in the subjectAltName rfc822Name (default true). */
  sanEmail?: boolean;
  /** Put the address in the subject's emailAddress attribute (default false). */
  subjectEmail?: boolean;
  /** Override the extended key usage; `null` leaves the extension out. Default emailProtection. */
  extendedKeyUsage?: string | null;
  /** Override keyUsage (openssl syntax, e.g. "keyEncipherment"); `null` leaves it out. */
  keyUsage?: string | null;
  notBefore?: Date;
  notAfter?: Date;
  /** Signature hash the CA uses on this certificate (default sha256). */
  digest?: 'sha1' | 'sha256' | 'sha384';
}

export interface TestPki {
  dir: string;
  root: CertificateAuthority;
  /** Generates a key pair (PKCS#8) without a certificate. */
  generateKey(spec: KeySpec, name?: string): KeyPair;
  /** Issues an end-entity certificate from `issuer` (default: the root). */
  issueUser(options: UserCertificateOptions, issuer?: CertificateAuthority): IssuedCertificate;
  /** Issues an intermediate CA under `issuer` (default: the root). */
  issueIntermediate(commonName: string, issuer?: CertificateAuthority, key?: KeySpec): CertificateAuthority;
  /** A self-signed certificate that no trust anchor vouches for (attack C4). */
  selfSignedUser(options: UserCertificateOptions): IssuedCertificate;
  /** Marks `certificate` revoked in `issuer`'s database (publish with `crl`). */
  revoke(certificate: IssuedCertificate, issuer?: CertificateAuthority, reason?: string): void;
  /** Writes a CRL (PEM file path and DER bytes) of everything `issuer` has revoked. */
  crl(issuer?: CertificateAuthority): { file: string; der: Uint8Array; pem: string };
  /** Writes bytes to a file in the PKI dir and returns its path. */
  writeFile(name: string, content: string | Uint8Array): string;
  /** Runs openssl with these arguments in the PKI dir; returns stdout, throws with stderr. */
  openssl(args: string[], input?: string | Uint8Array): Buffer;
  cleanup(): void;
}

export function runOpenssl(
  args: string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): Buffer {
  try {
    return execFileSync('openssl', args, {
      cwd: options.cwd,
      input: options.input,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 512 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args.join(' ')} failed: ${stderr}`, { cause: error });
  }
}

export function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/** openssl's `-startdate`/`-enddate` format: YYYYMMDDHHMMSSZ (GeneralizedTime). */
function opensslDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function keyGenArgs(spec: KeySpec): string[] {
  switch (spec.type) {
    case 'rsa':
      return ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.bits ?? 2048}`];
    case 'rsa-pss':
      // An rsaEncryption key used with PSS padding: that is what S/MIME senders do in practice
      // (RFC 4056 §2.2 allows it), and WebCrypto imports it as RSA-PSS.
      return ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.bits ?? 2048}`];
    case 'ec':
      return ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${spec.curve}`];
  }
}

function keyUsageFor(purpose: CertificatePurpose, key: KeySpec): string {
  // RFC 8550 §4.4.2: signing needs digitalSignature; encryption needs keyEncipherment (RSA key
  // transport) or keyAgreement (ECDH).
  const encryption = key.type === 'ec' ? 'keyAgreement' : 'keyEncipherment';
  if (purpose === 'signing') return 'critical,digitalSignature,nonRepudiation';
  if (purpose === 'encryption') return `critical,${encryption}`;
  return `critical,digitalSignature,nonRepudiation,${encryption}`;
}

function dnFor(commonName: string, email: string | null): string {
  const escaped = commonName.replace(/([/=\\])/g, '\\$1');
  return email ? `/CN=${escaped}/emailAddress=${email}` : `/CN=${escaped}`;
}

const caConfig = (dir: string) => `
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_days = 365
default_crl_days = 30
policy = policy_any
unique_subject = no
email_in_dn = yes
copy_extensions = none
[ policy_any ]
commonName = optional
emailAddress = optional
organizationName = optional
[ req ]
distinguished_name = req_dn
[ req_dn ]
`;

export function createTestPki(options: { rootName?: string; rootKey?: KeySpec } = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'sealmail-pki-'));
  let counter = 0;
  const unique = (name: string) => `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${++counter}`;

  const writeFile = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const openssl = (args: string[], input?: string | Uint8Array) => runOpenssl(args, { cwd: dir, input });

  const generateKey = (spec: KeySpec, name = 'key'): KeyPair => {
    const keyFile = join(dir, `${unique(name)}.key.pem`);
    openssl(['genpkey', ...keyGenArgs(spec), '-out', keyFile]);
    const keyPem = readFileSync(keyFile, 'utf8');
    return { keyPem, keyFile, keyDer: pemToDer(keyPem) };
  };

  const loadCertificate = (
    certFile: string,
    key: KeyPair,
    subject: string,
    email: string | null,
  ): IssuedCertificate => {
    const certPem = readFileSync(certFile, 'utf8');
    const serial = openssl(['x509', '-in', certFile, '-noout', '-serial']).toString().trim();
    return {
      ...key,
      subject,
      email,
      certPem,
      certFile,
      certDer: pemToDer(certPem),
      serialHex: serial.replace(/^serial=/, '').toLowerCase(),
    };
  };

  const makeCaDir = (name: string): string => {
    const caDir = join(dir, unique(`ca-${name}`));
    mkdirSync(join(caDir, 'newcerts'), { recursive: true });
    writeFileSync(join(caDir, 'index.txt'), '');
    writeFileSync(
      join(caDir, 'serial'),
      `${(Date.now() * 1000 + counter).toString(16).toUpperCase().padStart(16, '0')}\n`,
    );
    writeFileSync(join(caDir, 'crlnumber'), '01\n');
    writeFileSync(join(caDir, 'openssl.cnf'), caConfig(caDir));
    return caDir;
  };

  /** Signs a CSR with `issuer` through `openssl ca`, with the extensions in `extensions`. */
  const sign = (
    issuer: CertificateAuthority,
    csrFile: string,
    subject: string,
    extensions: string,
    validity: { notBefore?: Date; notAfter?: Date; digest?: string },
  ): string => {
    const extFile = writeFile(`${unique('ext')}.cnf`, `[ ext ]\n${extensions}\n`);
    const certFile = join(dir, `${unique('cert')}.pem`);
    const notBefore = validity.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
    const notAfter = validity.notAfter ?? new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
    openssl([
      'ca',
      '-batch',
      '-notext',
      '-config',
      join(issuer.caDir, 'openssl.cnf'),
      '-cert',
      issuer.certFile,
      '-keyfile',
      issuer.keyFile,
      '-in',
      csrFile,
      '-out',
      certFile,
      '-subj',
      subject,
      '-md',
      validity.digest ?? 'sha256',
      '-startdate',
      opensslDate(notBefore),
      '-enddate',
      opensslDate(notAfter),
      '-extfile',
      extFile,
      '-extensions',
      'ext',
    ]);
    return certFile;
  };

  const csrFor = (key: KeyPair, subject: string): string => {
    const csrFile = join(dir, `${unique('req')}.csr`);
    openssl([
      'req',
      '-new',
      '-key',
      key.keyFile,
      '-subj',
      subject,
      '-out',
      csrFile,
      '-config',
      join(rootCaDir, 'openssl.cnf'),
    ]);
    return csrFile;
  };

  const userExtensions = (o: UserCertificateOptions): string => {
    const key = o.key ?? { type: 'rsa' };
    const lines = [
      'basicConstraints = critical,CA:FALSE',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
    ];
    const keyUsage = o.keyUsage === undefined ? keyUsageFor(o.purpose ?? 'both', key) : o.keyUsage;
    if (keyUsage !== null) lines.push(`keyUsage = ${keyUsage}`);
    const eku = o.extendedKeyUsage === undefined ? 'emailProtection' : o.extendedKeyUsage;
    if (eku !== null) lines.push(`extendedKeyUsage = ${eku}`);
    if (o.sanEmail ?? true) lines.push(`subjectAltName = email:${o.email}`);
    return lines.join('\n');
  };

  // The root CA.
  const rootCaDir = makeCaDir('root');
  const rootKey = generateKey(options.rootKey ?? { type: 'rsa' }, 'root');
  const rootSubject = dnFor(options.rootName ?? 'Sealmail Test Root CA', null);
  const rootCertFile = join(dir, 'root.pem');
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    rootKey.keyFile,
    '-subj',
    rootSubject,
    '-days',
    '3650',
    '-sha256',
    '-config',
    join(rootCaDir, 'openssl.cnf'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
    '-out',
    rootCertFile,
  ]);
  const root: CertificateAuthority = {
    ...loadCertificate(rootCertFile, rootKey, rootSubject, null),
    caDir: rootCaDir,
  };

  const issueUser = (o: UserCertificateOptions, issuer: CertificateAuthority = root): IssuedCertificate => {
    const key = generateKey(o.key ?? { type: 'rsa' }, o.email);
    const subject = dnFor(o.commonName ?? o.email, o.subjectEmail ? o.email : null);
    const certFile = sign(issuer, csrFor(key, subject), subject, userExtensions(o), o);
    return loadCertificate(certFile, key, subject, o.email);
  };

  const issueIntermediate = (
    commonName: string,
    issuer: CertificateAuthority = root,
    keySpec: KeySpec = { type: 'rsa' },
  ): CertificateAuthority => {
    const key = generateKey(keySpec, commonName);
    const subject = dnFor(commonName, null);
    const certFile = sign(
      issuer,
      csrFor(key, subject),
      subject,
      [
        'basicConstraints = critical,CA:TRUE',
        'keyUsage = critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
      ].join('\n'),
      {},
    );
    return { ...loadCertificate(certFile, key, subject, null), caDir: makeCaDir(commonName) };
  };

  const selfSignedUser = (o: UserCertificateOptions): IssuedCertificate => {
    const key = generateKey(o.key ?? { type: 'rsa' }, o.email);
    const subject = dnFor(o.commonName ?? o.email, o.subjectEmail ? o.email : null);
    const extFile = writeFile(
      `${unique('self')}.cnf`,
      `[ req ]\ndistinguished_name = dn\n[ dn ]\n[ ext ]\n${userExtensions(o).replace('authorityKeyIdentifier = keyid', '')}\n`,
    );
    const certFile = join(dir, `${unique('self')}.pem`);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      key.keyFile,
      '-subj',
      subject,
      '-days',
      '365',
      '-sha256',
      '-config',
      extFile,
      '-extensions',
      'ext',
      '-out',
      certFile,
    ]);
    return loadCertificate(certFile, key, subject, o.email);
  };

  const revoke = (
    certificate: IssuedCertificate,
    issuer: CertificateAuthority = root,
    reason = 'keyCompromise',
  ) => {
    openssl([
      'ca',
      '-config',
      join(issuer.caDir, 'openssl.cnf'),
      '-cert',
      issuer.certFile,
      '-keyfile',
      issuer.keyFile,
      '-revoke',
      certificate.certFile,
      '-crl_reason',
      reason,
    ]);
  };

  const crl = (issuer: CertificateAuthority = root) => {
    const file = join(dir, `${unique('crl')}.pem`);
    openssl([
      'ca',
      '-gencrl',
      '-config',
      join(issuer.caDir, 'openssl.cnf'),
      '-cert',
      issuer.certFile,
      '-keyfile',
      issuer.keyFile,
      '-out',
      file,
    ]);
    const pem = readFileSync(file, 'utf8');
    return { file, pem, der: pemToDer(pem) };
  };

  return {
    dir,
    root,
    generateKey,
    issueUser,
    issueIntermediate,
    selfSignedUser,
    revoke,
    crl,
    writeFile,
    openssl,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
