// What enrollment needs from an EST server (RFC 7030), independent of how it is reached: core/
// has no network, so the HTTPS client lives in electron/services/enrollment and is handed in.
// Every method throws a coded SealmailError for a refusal (spent key, unreachable KM, …).

/** The mailbox and its one-time temporary key: HTTP Basic user and password (issue 4). */
export interface EnrollmentCredentials {
  email: string;
  temporaryKey: string;
}

/** One server-generated encryption key (RFC 7030 §4.4.2): PKCS#8 and its certificate, DER. */
export interface ServerGeneratedKey {
  privateKey: Uint8Array;
  certificate: Uint8Array;
}

export interface EstClient {
  /** §4.1 cacerts: the CA certificates, DER. */
  caCertificates(): Promise<Uint8Array[]>;
  /** §4.2.1 simpleenroll: the PKCS#10 (DER) in, the issued certificate (DER) out. */
  simpleEnroll(csr: Uint8Array, credentials: EnrollmentCredentials): Promise<Uint8Array>;
  /** §4.4 serverkeygen: every archived encryption key, newest first. */
  serverKeygen(credentials: EnrollmentCredentials): Promise<ServerGeneratedKey[]>;
}

/** §4.2.2 simplereenroll, authenticated by the current signing certificate and key over TLS. */
export interface EstReenrollClient {
  simpleReenroll(csr: Uint8Array): Promise<Uint8Array>;
}
