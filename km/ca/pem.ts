// RFC 7468 textual encoding, for the files the KM writes for people and for openssl.
export function pem(der: Uint8Array, label: 'CERTIFICATE' | 'X509 CRL' | 'PRIVATE KEY'): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
