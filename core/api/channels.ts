// The one allowlist of IPC channels and push events. It is also the type: a channel that is not
// listed here cannot be invoked, by the preload, by the browser host or by the renderer.
// Kept free of schemas so the sandboxed preload bundles only these names.

export const channels = [
  'accounts.list',
  'accounts.add',
  'accounts.remove',
  'accounts.test',
  'folders.list',
  'messages.list',
  'messages.fetchRaw',
  'messages.setFlags',
  'messages.move',
  'messages.delete',
  'sync.folder',
  'mail.send',
  'outbox.list',
  'outbox.retry',
  'outbox.remove',
  'links.openExternal',
  'mail.compose',
  'mail.sendSealed',
  'security.status',
  'security.setDefaults',
  'security.setKm',
  'keyfile.read',
  'keyfile.save',
  'km.est',
  'recipients.check',
  'certificates.revocation',
  'certificates.harvest',
  'files.save',
  'policy.get',
  'enrollment.pendingLink',
  'remote.fetchImages',
] as const;

export type Channel = (typeof channels)[number];

export const events = [
  'mail.new',
  'sync.progress',
  'outbox.changed',
  'connection.state',
  'security.changed',
  'enrollment.link',
] as const;

export type EventName = (typeof events)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (channels as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (events as readonly string[]).includes(value);
}
