// Object identifiers Sealmail's S/MIME code branches on, with the RFC that defines each.
export const oids = {
  // RFC 5652 §4, §5
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  // RFC 5083
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  // RFC 5652 §11
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  // RFC 8551 §2.5.2, §2.5.3
  smimeCapabilities: '1.2.840.113549.1.9.15',
  smimeEncryptionKeyPreference: '1.2.840.113549.1.9.16.2.11',
  // RFC 5280 §4.2.1.12
  emailProtection: '1.3.6.1.5.5.7.3.4',
  anyExtendedKeyUsage: '2.5.29.37.0',
  extKeyUsage: '2.5.29.37',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  // PKCS#9 emailAddress (RFC 2985), legacy home of the address in the subject
  emailAddress: '1.2.840.113549.1.9.1',
  // algorithms
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  rsassaPss: '1.2.840.113549.1.1.10',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  aes256Gcm: '2.16.840.1.101.3.4.1.46',
  mgf1: '1.2.840.113549.1.1.8',
  secp256r1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
} as const;
