// EST simplereenroll (RFC 7030 §4.2.2): renewal of the signing certificate, authenticated by the
// current one (TLS client authentication with the signing key), so a renewal needs no
// administrator and no temporary key. Only an unrevoked, unexpired signing certificate of an
// Active mailbox may renew; the old certificate stays valid until it expires.
import { SealmailError } from '../../core/errors.js';
import type { KmContext } from '../authority/km-clock.js';
import { unlockAsNode } from '../authority/unlocked-km.js';
import { issueMailCertificate } from '../ca/issuing-ca.js';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export async function renewSigningCertificate(
  context: KmContext,
  dataDirectory: string,
  request: { presentedSerial: string; presentedCertificate: Uint8Array; signingPublicKey: Uint8Array },
): Promise<Uint8Array> {
  return context.store.transaction(async (records) => {
    const now = context.now();
    const current = await records.certificate(request.presentedSerial.toLowerCase());
    const refuse = (message: string): never => {
      throw new SealmailError('AUTH_FAILED', message);
    };
    if (!current || current.kind !== 'signing' || !sameBytes(current.der, request.presentedCertificate)) {
      refuse('renewal needs your current Sealmail signing certificate as the TLS client certificate.');
    } else if (current.revokedAt !== null) {
      refuse('your signing certificate is revoked; ask your administrator to enable the mailbox again.');
    } else if (current.notAfter <= now.toISOString()) {
      refuse('your signing certificate has expired; ask your administrator to recover the mailbox.');
    }
    const email = current?.email ?? '';
    if ((await records.mailbox(email))?.state !== 'Active') {
      throw new SealmailError('MAILBOX_STATE_CONFLICT', `${email} is not Active, so it cannot renew.`);
    }
    const km = await unlockAsNode(records, dataDirectory);
    const issued = await issueMailCertificate(km.ca, {
      email,
      kind: 'signing',
      subjectPublicKeyInfo: request.signingPublicKey,
      now,
    });
    await records.addCertificate({
      serial: issued.serial,
      email,
      kind: 'signing',
      der: issued.der,
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
      revokedAt: null,
      revocationReason: null,
    });
    await records.appendAudit({
      at: now.toISOString(),
      actor: email,
      action: 'renew',
      subject: email,
      detail: `signing certificate ${request.presentedSerial.toLowerCase()} renewed as ${issued.serial}`,
    });
    return issued.der;
  });
}
