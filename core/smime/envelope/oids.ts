// Object identifiers used by the envelope code, with the document that assigns each.

// RFC 5652 §4, §6; RFC 5083 §1.1
export const ID_DATA = '1.2.840.113549.1.7.1';
export const ID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
export const ID_AUTH_ENVELOPED_DATA = '1.2.840.113549.1.9.16.1.23';

// Content ciphers: RFC 3565 (AES-CBC), RFC 5084 (AES-GCM), RFC 3370 §5.1 (3DES)
export const AES128_CBC = '2.16.840.1.101.3.4.1.2';
export const AES192_CBC = '2.16.840.1.101.3.4.1.22';
export const AES256_CBC = '2.16.840.1.101.3.4.1.42';
export const AES128_GCM = '2.16.840.1.101.3.4.1.6';
export const AES192_GCM = '2.16.840.1.101.3.4.1.26';
export const AES256_GCM = '2.16.840.1.101.3.4.1.46';
export const DES_EDE3_CBC = '1.2.840.113549.3.7';

// AES key wrap, RFC 3394 / RFC 3565 §2.3.2
export const AES128_WRAP = '2.16.840.1.101.3.4.1.5';
export const AES192_WRAP = '2.16.840.1.101.3.4.1.25';
export const AES256_WRAP = '2.16.840.1.101.3.4.1.45';
// Triple-DES key wrap, RFC 3217 §3 (read only: what OpenSSL uses for a 3DES content key)
export const CMS3DES_WRAP = '1.2.840.113549.1.9.16.3.6';

// Key transport: RFC 8017 / RFC 4055
export const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const RSAES_OAEP = '1.2.840.113549.1.1.7';
export const MGF1 = '1.2.840.113549.1.1.8';
export const P_SPECIFIED = '1.2.840.113549.1.1.9';

// Digests
export const SHA1 = '1.3.14.3.2.26';
export const SHA256 = '2.16.840.1.101.3.4.2.1';
export const SHA384 = '2.16.840.1.101.3.4.2.2';
export const SHA512 = '2.16.840.1.101.3.4.2.3';

// Elliptic curves, RFC 5480
export const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const P256 = '1.2.840.10045.3.1.7';
export const P384 = '1.3.132.0.34';
export const P521 = '1.3.132.0.35';

// ECDH key agreement schemes, RFC 5753 §7.1.4 (SEC 1 / X9.63 KDF)
export const DH_STD_SHA1_KDF = '1.3.133.16.840.63.0.2';
export const DH_STD_SHA224_KDF = '1.3.132.1.11.0';
export const DH_STD_SHA256_KDF = '1.3.132.1.11.1';
export const DH_STD_SHA384_KDF = '1.3.132.1.11.2';
export const DH_STD_SHA512_KDF = '1.3.132.1.11.3';
export const DH_COFACTOR_SHA1_KDF = '1.3.133.16.840.63.0.3';
export const DH_COFACTOR_SHA256_KDF = '1.3.132.1.14.1';
export const DH_COFACTOR_SHA384_KDF = '1.3.132.1.14.2';
export const DH_COFACTOR_SHA512_KDF = '1.3.132.1.14.3';

// RFC 8551 §2.5.2
export const SMIME_CAPABILITIES = '1.2.840.113549.1.9.15';
// RFC 5280 §4.2.1.2
export const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
