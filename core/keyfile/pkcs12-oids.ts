// Object identifiers of PKCS#12 (RFC 7292) and the password-based schemes it uses (RFC 8018).
export const pkcs12Oids = {
  // RFC 7292 §4.2: bag types
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  // RFC 7292 §4.2.3: certificate types in a CertBag
  x509Certificate: '1.2.840.113549.1.9.22.1',
  // RFC 2985 §5.5: bag attributes
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  // RFC 5652: content types of the AuthenticatedSafe
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  encryptedData: '1.2.840.113549.1.7.6',
  // RFC 8018 §6.2, §5.2, appendix B.1
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha1: '1.2.840.113549.2.7',
  hmacWithSha256: '1.2.840.113549.2.9',
  hmacWithSha384: '1.2.840.113549.2.10',
  hmacWithSha512: '1.2.840.113549.2.11',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  desEde3Cbc: '1.2.840.113549.3.7',
  // RFC 7292 appendix C: the legacy PKCS#12 PBE schemes (OpenSSL's `-legacy`)
  pbeWithShaAnd128BitRc4: '1.2.840.113549.1.12.1.1',
  pbeWithShaAnd40BitRc4: '1.2.840.113549.1.12.1.2',
  pbeWithShaAnd3KeyTripleDesCbc: '1.2.840.113549.1.12.1.3',
  pbeWithShaAnd2KeyTripleDesCbc: '1.2.840.113549.1.12.1.4',
  pbeWithShaAnd128BitRc2Cbc: '1.2.840.113549.1.12.1.5',
  pbeWithShaAnd40BitRc2Cbc: '1.2.840.113549.1.12.1.6',
  // digests for MacData
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;
