// "Send" as seed 004 describes it: check every recipient's certificate; when some have none, let
// the user remove them, send unencrypted or cancel; ask for the key-file password when the key is
// not unlocked; then 'mail.compose' → the crypto worker seals → 'mail.sendSealed'. Unsigned,
// unencrypted mail goes through 'mail.send' as before. Nothing here changes the draft, so Cancel
// at any step leaves it exactly as it was. Encrypted mail with Bcc goes as separate copies
// (send-copies.ts), and the composer follows the queued message until it is sent (send-progress.ts).
import type { OutboxItem, SealmailApi } from '../../../core/api/types.js';
import type { OutgoingMessage } from '../../../core/api/schemas.js';
import type { RecipientCertificate } from '../../../core/api/security-types.js';
import { isErrorCode, toErrorInfo, type ErrorInfo } from '../../../core/errors.js';
import type { CryptoClient } from '../crypto/crypto-client.js';
import type { ComposeDraft } from './compose-draft.svelte.js';
import type { RecipientCertificates } from './compose-recipients.svelte.js';
import { sizeInWords } from './compose-limits.js';
import { inPlainWords } from './plain-words.js';
import { ipcBytes } from '../mail/ipc-bytes.js';
import { sealedCopies, usableCertificates, type SealedCopy } from './send-copies.js';
import { DeliveryWatch, type SendStage } from './send-progress.js';

export type SendChoice = 'remove' | 'unencrypted' | 'cancel';

export type SendStep =
  | { kind: 'editing' }
  | { kind: 'working'; doing: string; stage: SendStage }
  | {
      kind: 'choosing';
      unusable: RecipientCertificate[];
      /** No recipient has a usable certificate: only "Send unencrypted" and "Cancel" (seed 004). */
      noneUsable: boolean;
      /** Policy (allowSendUnencrypted) or a required encryption may take this choice away. */
      offerUnencrypted: boolean;
      /** Why "Send unencrypted" is not offered, in the user's words. */
      whyNotUnencrypted: string | null;
    }
  | { kind: 'password'; problem: string | null };

/** What the crypto worker threw, as a coded error (it rebuilds SealmailErrors on the page side). */
export function cryptoError(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null && 'code' in error && isErrorCode(error.code)) {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
    return { code: error.code, message };
  }
  return toErrorInfo(error);
}

/** The message without `leftOut` (lower-cased addresses, as 'recipients.check' answers). */
function withoutRecipients(message: OutgoingMessage, leftOut: readonly string[]): OutgoingMessage {
  if (leftOut.length === 0) return message;
  const keep = (list: string[]) => list.filter((address) => !leftOut.includes(address.toLowerCase()));
  return { ...message, to: keep(message.to), cc: keep(message.cc), bcc: keep(message.bcc) };
}

export class SendFlow {
  step = $state.raw<SendStep>({ kind: 'editing' });
  /** Why the last send did not happen, in plain words; shown in the composer. */
  problem = $state<string | null>(null);
  private answerChoice: ((choice: SendChoice) => void) | null = null;
  private answerPassword: ((password: string | null) => void) | null = null;

  constructor(
    private readonly api: SealmailApi,
    private readonly crypto: CryptoClient,
    private readonly certificates: RecipientCertificates,
  ) {}

  /** The send dialog's answer. */
  choose(choice: SendChoice): void {
    this.answerChoice?.(choice);
  }

  /** The password prompt's answer; null is Cancel. */
  password(password: string | null): void {
    this.answerPassword?.(password);
  }

  /** Returns the queued Outbox item, or null when the user cancelled or something failed. */
  async send(draft: ComposeDraft): Promise<OutboxItem | null> {
    this.problem = null;
    const watch = new DeliveryWatch(this.api);
    try {
      const queued = await this.run(draft);
      if (queued === null) return null;
      // Queued means it will not be lost; the composer still shows it leave, as a mail client does.
      const [main] = queued;
      if (!main) return null;
      this.working('queued', 'Queued in the Outbox…');
      await watch.follow(
        queued.map((item) => item.id),
        (stage) => this.working(stage, stage === 'sent' ? 'Sent.' : 'Sending…'),
      );
      return main;
    } catch (error) {
      this.problem = inPlainWords(cryptoError(error));
      return null;
    } finally {
      watch.dispose();
      this.step = { kind: 'editing' };
    }
  }

  private working(stage: SendStage, doing: string): void {
    this.step = { kind: 'working', doing, stage };
  }

  /** The queued items, the main message first; null when cancelled or refused. */
  private async run(draft: ComposeDraft): Promise<OutboxItem[] | null> {
    if (draft.to.length + draft.cc.length + draft.bcc.length === 0) {
      this.problem = 'Add at least one recipient.';
      return null;
    }
    if (draft.recipientProblem) {
      this.problem = draft.recipientProblem;
      return null;
    }
    let encryptTo: ReadonlyMap<string, Uint8Array> | null = null;
    // "Remove these recipients" leaves them out of this send only: the draft keeps them until the
    // message is queued, so a Cancel at the password prompt still finds the draft as it was.
    let leftOut: string[] = [];
    if (draft.encrypt) {
      const decided = await this.decideEncryption(draft);
      if (decided === 'cancel') return null;
      ({ encryptTo, leftOut } = decided);
    }
    const sign = draft.sign;
    if (!sign && encryptTo === null) return this.sendPlain(draft);

    const accountId = draft.accountId;
    // The key file is opened once per send where the profile allows (key-access.ts): "medium"
    // keeps it after the prompt's unlock, so sealing needs no password; "high" keeps nothing, so
    // the prompt only collects the password and sealing opens the key file with it.
    // Encrypting alone needs no private key (crypto/operations/seal.ts), so no password either.
    let keepsKey = draft.policy.securityProfile.value.kind !== 'high';
    let password = sign ? await this.passwordIfLocked(accountId, keepsKey) : '';
    if (password === null) return null;
    let unlockedNow = sign && password === '';

    const message = withoutRecipients(draft.message(), leftOut);
    this.working('sealing', 'Preparing the message…');
    const composed = await this.api.invoke('mail.compose', { accountId, message });
    if (!composed.ok) return this.failed(composed.error);

    const copies: SealedCopy[] = encryptTo
      ? sealedCopies(message, encryptTo)
      : [{ recipients: [...message.to, ...message.cc, ...message.bcc], encryptTo: [], saveToSent: true }];
    const size = sizeInWords(composed.value.raw.length);
    const doing = encryptTo ? (sign ? 'Signing and encrypting' : 'Encrypting') : 'Signing';
    const sealed: Array<{ copy: SealedCopy; bytes: Uint8Array }> = [];
    for (const [index, copy] of copies.entries()) {
      const which = copies.length > 1 ? ` (copy ${index + 1} of ${copies.length})` : '';
      let bytes: Uint8Array | null = null;
      while (bytes === null) {
        this.working('sealing', `${doing} the message (${size})${which}…`);
        try {
          bytes = await this.crypto.seal({
            accountId,
            raw: composed.value.raw,
            sign,
            encryptTo: encryptTo ? copy.encryptTo : null,
            ...(password ? { password } : {}),
          });
        } catch (error) {
          // The medium profile's unlock may have lapsed between the check and now: ask, then retry.
          const info = cryptoError(error);
          if (info.code !== 'KEYFILE_LOCKED' && info.code !== 'WRONG_PASSWORD') throw error;
          // Locked right after an unlock: the organisation switched to "high" meanwhile, so the
          // worker keeps nothing; from now on the password goes with the seal itself.
          if (info.code === 'KEYFILE_LOCKED' && unlockedNow) keepsKey = false;
          password = await this.askPassword(
            accountId,
            info.code === 'WRONG_PASSWORD' ? info : null,
            keepsKey,
          );
          if (password === null) return null;
          unlockedNow = password === '';
        }
      }
      sealed.push({ copy, bytes });
    }

    const total = sealed.reduce((sum, { bytes }) => sum + bytes.length, 0);
    this.working('sealing', `Putting the message (${sizeInWords(total)}) in the Outbox…`);
    const items: OutboxItem[] = [];
    for (const { copy, bytes } of sealed) {
      const queued = await this.api.invoke('mail.sendSealed', {
        accountId,
        message: {
          raw: ipcBytes(bytes),
          recipients: copy.recipients,
          subject: draft.subject,
          signed: sign,
          encrypted: encryptTo !== null,
          saveToSent: copy.saveToSent,
        },
      });
      if (!queued.ok) {
        if (items.length === 0) return this.failed(queued.error);
        // Some copies are already queued and will go: say so, so a second Send does not repeat them.
        const waiting = items.flatMap((item) => item.recipients).join(', ');
        const missing = sealed.slice(items.length).flatMap(({ copy: left }) => left.recipients);
        this.problem =
          `The message is in the Outbox for ${waiting}, but not for ${missing.join(', ')}. ` +
          `${inPlainWords(queued.error)} Send it again to ${missing.join(', ')} only.`;
        return null;
      }
      items.push(queued.value);
    }
    return items;
  }

  private async sendPlain(draft: ComposeDraft): Promise<OutboxItem[] | null> {
    this.working('sealing', 'Putting the message in the Outbox…');
    const result = await this.api.invoke('mail.send', {
      accountId: draft.accountId,
      message: draft.message(),
    });
    return result.ok ? [result.value] : this.failed(result.error);
  }

  private failed(error: ErrorInfo): null {
    this.problem = inPlainWords(error);
    return null;
  }

  /**
   * The recipients' encryption certificates, or null for "Send unencrypted", or 'cancel'. Asks
   * afresh at send time: a CRL may have revoked someone since the chip was drawn.
   */
  private async decideEncryption(
    draft: ComposeDraft,
  ): Promise<{ encryptTo: ReadonlyMap<string, Uint8Array> | null; leftOut: string[] } | 'cancel'> {
    this.working('checking', "Checking the recipients' certificates…");
    const answers = await this.certificates.check(draft.recipients);
    if (!Array.isArray(answers)) {
      this.problem = `Sealmail could not check the recipients' certificates. ${inPlainWords(answers)}`;
      return 'cancel';
    }
    const unusable = answers.filter((answer) => answer.state !== 'ready' || answer.certificate === null);
    const usable = usableCertificates(answers);
    if (unusable.length === 0) return { encryptTo: usable, leftOut: [] };

    const policyForbids = !draft.policy.allowSendUnencrypted.value;
    const whyNotUnencrypted = policyForbids
      ? 'Your organisation does not allow sending unencrypted mail.'
      : draft.requirement.required
        ? `This message must be encrypted: ${draft.requirement.because ?? 'policy requires it'}.`
        : null;
    const choice = await new Promise<SendChoice>((resolve) => {
      this.answerChoice = resolve;
      this.step = {
        kind: 'choosing',
        unusable,
        noneUsable: usable.size === 0,
        offerUnencrypted: whyNotUnencrypted === null,
        whyNotUnencrypted,
      };
    });
    this.answerChoice = null;
    if (choice === 'cancel') return 'cancel';
    if (choice === 'unencrypted') return { encryptTo: null, leftOut: [] };
    return { encryptTo: usable, leftOut: unusable.map((answer) => answer.address) };
  }

  /** '' when the key is already unlocked (medium profile), the password, or null for Cancel. */
  private async passwordIfLocked(accountId: string, keepsKey: boolean): Promise<string | null> {
    if (keepsKey && (await this.crypto.isUnlocked(accountId))) return '';
    return this.askPassword(accountId, null, keepsKey);
  }

  /**
   * Asks for the password. Under "medium" (`keepsKey`) it unlocks at once, asking again on a wrong
   * password, and answers '' (the worker now keeps the key); under "high" it answers the password
   * for sealing to open the key file with, which reports a wrong one (see run()).
   */
  private async askPassword(
    accountId: string,
    first: ErrorInfo | null,
    keepsKey: boolean,
  ): Promise<string | null> {
    let problem: string | null = first ? 'That password did not open your key file. Try again.' : null;
    for (;;) {
      const password = await new Promise<string | null>((resolve) => {
        this.answerPassword = resolve;
        this.step = { kind: 'password', problem };
      });
      this.answerPassword = null;
      if (password === null) return null;
      if (!keepsKey) return password;
      this.working('sealing', 'Opening your key file…');
      try {
        await this.crypto.unlock(accountId, password);
        return '';
      } catch (error) {
        const info = cryptoError(error);
        if (info.code !== 'WRONG_PASSWORD') throw error;
        problem = 'That password did not open your key file. Try again.';
      }
    }
  }
}
