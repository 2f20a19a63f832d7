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
} as const satisfies Record<Channel, z.ZodType>;

/** What the renderer passes (defaults may be omitted). */
export type RequestOf<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
/** What a handler receives after validation (defaults filled in). */
export type ValidRequestOf<C extends Channel> = z.output<(typeof requestSchemas)[C]>;
export type NewAccount = z.output<typeof newAccountSchema>;
export type OutgoingMessage = z.output<typeof outgoingMessageSchema>;
export type ServerSettings = z.output<typeof serverSettingsSchema>;
