// Names of the KM's settings rows. They live in the database (not in --data), so every KM
// node sharing one PostgreSQL database sees the same CA and the same administrators.
export const settingNames = {
  adminKeyRing: 'admin-key-ring',
  caCertificate: 'ca-certificate',
  /** The CA's PKCS#8 private key, sealed under a key derived from the KM secret. */
  caPrivateKey: 'ca-private-key',
  /** The KM secret sealed under the node key (km-node.key in --data), for `km serve`. */
  kmSecretForNodes: 'km-secret-for-nodes',
  url: 'km-url',
  crlUrl: 'crl-url',
  temporaryKeyDays: 'temporary-key-days',
  crlDays: 'crl-days',
} as const;

/** The node key file in --data: what lets `km serve` run unattended. */
export const nodeKeyFileName = 'km-node.key';
