// Everything the composer holds: recipients, text, attachments and the security choices. The
// dialogs of the send flow sit on top of it and never change it (even "Remove these recipients"
// only leaves them out of the message being sent), so Cancel always returns to the draft exactly
// as it was (seed 004).
import type { OutgoingMessage } from '../../../core/api/schemas.js';
import { builtInPolicy, type EffectivePolicy } from '../../../core/policy/effective-policy.js';
import { encryptionRequiredBy, type EncryptionRequirement } from '../../../core/policy/encryption-rules.js';
import { attachmentProblem, recipientCountProblem } from './compose-limits.js';

export type Sensitivity = OutgoingMessage['sensitivity'];
export type RecipientField = 'to' | 'cc' | 'bcc';

export const sensitivities: readonly Sensitivity[] = ['normal', 'private', 'confidential'];

export interface DraftAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array<ArrayBuffer>;
}

/**
 * What a reply or forward inherits and may not lower (seed 000): an encrypted, Private or
 * Confidential original keeps its answers encrypted and at least as sensitive.
 */
export interface DraftFloor {
  encrypt: boolean;
  sensitivity: Sensitivity;
  /** In the user's words, shown next to the locked toggle: "You are replying to an encrypted message". */
  because: string;
}

export interface DraftStart {
  to?: string[];
  cc?: string[];
  subject?: string;
  text?: string;
  inReplyTo?: string;
  references?: string[];
  floor?: DraftFloor;
  /** A forward carries the original's attachments (decrypted, in the renderer's memory only). */
  attachments?: DraftAttachment[];
}

export function atLeast(sensitivity: Sensitivity, floor: Sensitivity): boolean {
  return sensitivities.indexOf(sensitivity) >= sensitivities.indexOf(floor);
}

export class ComposeDraft {
  accountId = $state('');
  to = $state<string[]>([]);
  cc = $state<string[]>([]);
  bcc = $state<string[]>([]);
  subject = $state('');
  text = $state('');
  attachments = $state.raw<DraftAttachment[]>([]);
  /** The last attachment refused, naming the file and the limit. */
  attachmentError = $state<string | null>(null);
  sign = $state(true);
  /** What the user chose; policy or the floor may still require encryption (see `encrypt`). */
  encryptChosen = $state(false);
  sensitivity = $state<Sensitivity>('normal');
  policy = $state.raw<EffectivePolicy>(builtInPolicy());
  readonly floor: DraftFloor | null;
  readonly inReplyTo: string | undefined;
  readonly references: string[] | undefined;

  constructor(start: DraftStart = {}) {
    this.to = start.to ?? [];
    this.cc = start.cc ?? [];
    this.subject = start.subject ?? '';
    this.text = start.text ?? '';
    this.inReplyTo = start.inReplyTo;
    this.references = start.references;
    this.floor = start.floor ?? null;
    this.keepAllowed(start.attachments ?? []);
    if (this.floor) {
      this.encryptChosen = this.floor.encrypt;
      this.sensitivity = this.floor.sensitivity;
    }
  }

  get recipients(): string[] {
    return [...this.to, ...this.cc, ...this.bcc];
  }

  /** Why encryption is required, if it is: the reply floor first, then the organisation's rules. */
  readonly requirement: EncryptionRequirement = $derived.by(() => {
    if (this.floor?.encrypt) return { required: true, because: this.floor.because };
    if (this.policy.encryptByDefault.locked && this.policy.encryptByDefault.value)
      return { required: true, because: 'Your organisation requires encryption' };
    return encryptionRequiredBy(this.policy.encryptionRules, {
      subject: this.subject,
      text: this.text,
      recipients: this.recipients,
    });
  });

  readonly encrypt: boolean = $derived(this.encryptChosen || this.requirement.required);

  /** The organisation may lock signing on (or off); the toggle then follows it. */
  readonly signLocked: boolean = $derived(this.policy.signByDefault.locked);

  readonly recipientProblem: string | null = $derived(
    recipientCountProblem(this.recipients.length, this.policy),
  );

  /** Defaults for a new message: the user's Settings › Security choices, unless policy locks them. */
  applyDefaults(defaults: { sign: boolean; encrypt: boolean }, policy: EffectivePolicy): void {
    this.policy = policy;
    // What was attached before the policy arrived (a forward's files) must pass it too.
    this.keepAllowed(this.attachments);
    this.sign = policy.signByDefault.locked ? policy.signByDefault.value : defaults.sign;
    // A reply's floor is never lowered by a default.
    this.encryptChosen =
      (this.floor?.encrypt ?? false) ||
      (policy.encryptByDefault.locked ? policy.encryptByDefault.value : defaults.encrypt);
  }

  /**
   * Seed 000: marking a message Private marks it secure by default; here raising the sensitivity
   * switches Encrypt on (the user may still switch it off unless something requires it).
   */
  setSensitivity(value: Sensitivity): void {
    if (this.floor && !atLeast(value, this.floor.sensitivity)) return;
    if (value !== 'normal' && !atLeast(this.sensitivity, value)) this.encryptChosen = true;
    this.sensitivity = value;
  }

  setEncrypt(value: boolean): void {
    if (!value && this.requirement.required) return;
    this.encryptChosen = value;
  }

  setSign(value: boolean): void {
    if (this.signLocked) return;
    this.sign = value;
  }

  addRecipient(field: RecipientField, address: string): void {
    const lower = address.toLowerCase();
    if (this[field].some((existing) => existing.toLowerCase() === lower)) return;
    this[field] = [...this[field], address];
  }

  removeRecipient(field: RecipientField, address: string): void {
    this[field] = this[field].filter((existing) => existing !== address);
  }

  /** Adds what fits; names the first file that does not and why. */
  async addFiles(files: Iterable<File>): Promise<void> {
    this.attachmentError = null;
    for (const file of files) {
      const already = this.attachments.reduce((sum, attachment) => sum + attachment.content.length, 0);
      const problem = attachmentProblem({ filename: file.name, size: file.size }, already, this.policy);
      if (problem) {
        this.attachmentError = problem;
        continue;
      }
      const content = new Uint8Array(await file.arrayBuffer());
      this.attachments = [
        ...this.attachments,
        { filename: file.name, contentType: file.type || 'application/octet-stream', content },
      ];
    }
  }

  /** Keeps the attachments the policy allows, in order; names the first one it refuses. */
  private keepAllowed(candidates: readonly DraftAttachment[]): void {
    const kept: DraftAttachment[] = [];
    let refused: string | null = null;
    for (const attachment of candidates) {
      const already = kept.reduce((sum, k) => sum + k.content.length, 0);
      const problem = attachmentProblem(
        { filename: attachment.filename, size: attachment.content.length },
        already,
        this.policy,
      );
      if (problem) refused ??= problem;
      else kept.push(attachment);
    }
    this.attachments = kept;
    if (refused) this.attachmentError = refused;
  }

  removeAttachment(index: number): void {
    this.attachments = this.attachments.filter((_, i) => i !== index);
    this.attachmentError = null;
  }

  /** The message for 'mail.compose' / 'mail.send'. */
  message(): OutgoingMessage {
    return {
      to: [...this.to],
      cc: [...this.cc],
      bcc: [...this.bcc],
      subject: this.subject,
      text: this.text,
      attachments: this.attachments,
      sensitivity: this.sensitivity,
      ...(this.inReplyTo ? { inReplyTo: this.inReplyTo } : {}),
      ...(this.references ? { references: this.references } : {}),
    };
  }
}
