// The HTTPS identity of `km serve`: the --tls-cert/--tls-key the operator gives, or a
// certificate the KM issues itself from its CA (kept in --data, remade when it nears expiry or
// the host names change).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { SealmailError } from '../../core/errors.js';
import type { KmContext } from '../authority/km-clock.js';
import { unlockAsNode } from '../authority/unlocked-km.js';
import { pem } from '../ca/pem.js';
import { issueTlsServerCertificate } from '../ca/tls-server-certificate.js';

export interface TlsIdentity {
  cert: string;
  key: string;
}

async function readIfPresent(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

function stillGood(certPem: string, hosts: readonly string[], now: Date): boolean {
  const der = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const certificate = pkijs.Certificate.fromBER(der);
  const notAfter = certificate.notAfter.value.getTime();
  const subject = certificate.subject.typesAndValues[0]?.value.valueBlock.value;
  return notAfter - now.getTime() > 30 * 86_400_000 && subject === hosts[0];
}

export async function tlsIdentity(
  context: KmContext,
  dataDirectory: string,
  options: { certFile?: string; keyFile?: string; hosts: readonly string[] },
): Promise<TlsIdentity> {
  if (options.certFile !== undefined || options.keyFile !== undefined) {
    if (options.certFile === undefined || options.keyFile === undefined) {
      throw new SealmailError(
        'INVALID_REQUEST',
        'give both --tls-cert and --tls-key, or neither (the KM then makes its own).',
      );
    }
    try {
      return { cert: await readFile(options.certFile, 'utf8'), key: await readFile(options.keyFile, 'utf8') };
    } catch (error) {
      throw new SealmailError(
        'INVALID_REQUEST',
        `cannot read the TLS certificate or key: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  const certFile = join(dataDirectory, 'tls-cert.pem');
  const keyFile = join(dataDirectory, 'tls-key.pem');
  const [cert, key] = [await readIfPresent(certFile), await readIfPresent(keyFile)];
  if (cert && key && stillGood(cert, options.hosts, context.now())) return { cert, key };
  const km = await unlockAsNode(context.store.records, dataDirectory);
  const issued = await issueTlsServerCertificate(km.ca, options.hosts, context.now());
  const identity = {
    cert: pem(issued.certificate, 'CERTIFICATE'),
    key: pem(issued.privateKey, 'PRIVATE KEY'),
  };
  await writeFile(keyFile, identity.key, { mode: 0o600 });
  await writeFile(certFile, identity.cert);
  return identity;
}
