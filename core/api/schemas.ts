// Request schemas for every channel. Main validates each payload against these before a handler
// sees it (ARCHITECTURE.md invariant 4); the renderer gets the inferred types for free.
import { z } from 'zod';
import type { Channel } from './channels.js';

const accountId = z.string().min(1).max(200);
const folderPath = z.string().min(1).max(1000);
const uid = z.number().int().positive();
const tlsMode = z.enum(['tls', 'starttls', 'none']);
const hostName = z.string().min(1).max(253);
const port = z.number().int().min(1).max(65535);
const emailAddress = z
  .string()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'not an e-mail address');

export const serverSettingsSchema = z.object({ host: hostName, port, tls: tlsMode });

export const newAccountSchema = z.object({
  name: z.string().min(1).max(100),
  email: emailAddress,
  username: z.string().min(1).max(320),
  password: z.string().min(1).max(4096),
  imap: serverSettingsSchema,
  smtp: serverSettingsSchema,
  /** PEM of extra CA certificates to trust for this account's servers (self-hosted mail). */
  caPem: z.string().max(200_000).optional(),
});

export const attachmentSchema = z.object({
  filename: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  content: z.instanceof(Uint8Array),
});

export const outgoingMessageSchema = z.object({
  to: z.array(emailAddress).max(1000),
  cc: z.array(emailAddress).max(1000).default([]),
  bcc: z.array(emailAddress).max(1000).default([]),
  subject: z.string().max(998),
  text: z.string(),
  html: z.string().optional(),
  attachments: z.array(attachmentSchema).default([]),
  inReplyTo: z.string().max(998).optional(),
  references: z.array(z.string().max(998)).optional(),
  /** Seed 000; written as the RFC 2156 Sensitivity header (Private, Company-Confidential). */
  sensitivity: z.enum(['normal', 'private', 'confidential']).default('normal'),
});

const der = z.instanceof(Uint8Array).refine((bytes) => bytes.length <= 64 * 1024, 'a certificate over 64 KB');

/** A message the crypto worker already signed and/or encrypted: main queues these bytes as they are. */
export const sealedMessageSchema = z.object({
  raw: z.instanceof(Uint8Array),
  /** The SMTP envelope: the recipients left after the send dialog (Bcc included). */
  recipients: z.array(emailAddress).min(1).max(1000),
  subject: z.string().max(998),
  signed: z.boolean(),
  encrypted: z.boolean(),
  /**
   * Whether the outbox appends this copy to Sent. An encrypted send with Bcc makes one copy per
   * Bcc recipient besides the main one; only one copy belongs in Sent.
   */
  saveToSent: z.boolean().default(true),
});

const empty = z.object({}).strict();

export const requestSchemas = {
  'accounts.list': empty,
  'accounts.add': newAccountSchema,
  'accounts.remove': z.object({ accountId }),
  'accounts.test': z.object({ accountId }),
  'folders.list': z.object({ accountId }),
  'messages.list': z.object({
    accountId,
    folder: folderPath,
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(1000),
  }),
  'messages.fetchRaw': z.object({ accountId, folder: folderPath, uid }),
  'messages.setFlags': z.object({
    accountId,
    folder: folderPath,
    uids: z.array(uid).min(1).max(10_000),
    add: z.array(z.string().max(100)).default([]),
    remove: z.array(z.string().max(100)).default([]),
  }),
  'messages.move': z.object({
    accountId,
    folder: folderPath,
    uids: z.array(uid).min(1).max(10_000),
    destination: folderPath,
  }),
  'messages.delete': z.object({ accountId, folder: folderPath, uids: z.array(uid).min(1).max(10_000) }),
  'sync.folder': z.object({ accountId, folder: folderPath }),
  'mail.send': z.object({ accountId, message: outgoingMessageSchema }),
  'outbox.list': z.object({ accountId: accountId.optional() }),
  'outbox.retry': z.object({ id: z.string().min(1).max(200) }),
  'outbox.remove': z.object({ id: z.string().min(1).max(200) }),
  'links.openExternal': z.object({ url: z.string().max(8192) }),
  /** The plain MIME of a draft (for the worker to sign/encrypt); nothing is queued. */
  'mail.compose': z.object({ accountId, message: outgoingMessageSchema }),
  'mail.sendSealed': z.object({ accountId, message: sealedMessageSchema }),
  'security.status': z.object({ accountId }),
  'security.setDefaults': z.object({ accountId, sign: z.boolean(), encrypt: z.boolean() }),
  'security.setKm': z.object({
    accountId,
    url: z.string().min(1).max(2048),
    caPem: z.string().max(200_000).optional(),
  }),
  'keyfile.read': z.object({ accountId }),
  'keyfile.save': z.object({
    accountId,
    /** The PKCS#12 the worker sealed: encrypted, so main may hold it. */
    bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.length <= 1024 * 1024, 'a key file over 1 MB'),
    /** The public certificates inside, so main can show status without the password. */
    certificates: z.array(der).max(100),
    caCertificates: z.array(der).max(20),
  }),
  'km.est': z.object({
    accountId,
    // simplereenroll: body is a CMS SignedData (the PKCS#10 signed by the current signing key).
    operation: z.enum(['cacerts', 'simpleenroll', 'serverkeygen', 'simplereenroll']),
    body: z.instanceof(Uint8Array).nullable(),
    /** RFC 7030 §3.2.3 HTTP Basic password: the temporary key as typed (main does not keep it). */
    temporaryKey: z.string().max(200).nullable(),
  }),
  'recipients.check': z.object({ accountId, addresses: z.array(emailAddress).min(1).max(1000) }),
  'certificates.revocation': z.object({ accountId, certificate: der, issuer: der }),
  'certificates.harvest': z.object({ accountId, email: emailAddress, certificate: der }),
  'files.save': z.object({
    suggestedName: z.string().min(1).max(255),
    bytes: z.instanceof(Uint8Array),
    kind: z.enum(['attachment', 'key-file']),
  }),
  'policy.get': empty,
  'enrollment.pendingLink': empty,
  /** Remote images of an unencrypted message, fetched by main only when the user asks (issue 6). */
  'remote.fetchImages': z.object({
    urls: z
      .array(
        z
          .string()
          .max(2048)
          .regex(/^https?:\/\//i, 'an http or https address'),
      )
      .min(1)
      .max(200),
  }),
} as const satisfies Record<Channel, z.ZodType>;

/** What the renderer passes (defaults may be omitted). */
export type RequestOf<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
/** What a handler receives after validation (defaults filled in). */
export type ValidRequestOf<C extends Channel> = z.output<(typeof requestSchemas)[C]>;
export type NewAccount = z.output<typeof newAccountSchema>;
export type OutgoingMessage = z.output<typeof outgoingMessageSchema>;
export type SealedMessage = z.output<typeof sealedMessageSchema>;
export type ServerSettings = z.output<typeof serverSettingsSchema>;
