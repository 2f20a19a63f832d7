// Locked versus default, and which file wins (issue 7): the system policy (locks and defaults),
// then the per-user file (defaults only), then the built-in values; encryption rules add up.
import { describe, expect, it } from 'vitest';
import { builtInPolicy } from '../../core/policy/effective-policy.js';
import { encryptionRequiredBy } from '../../core/policy/encryption-rules.js';
import { MEGABYTE } from '../../core/policy/policy-document.js';
import { effectiveOf, sampleCaPem, samplePolicy, SYSTEM_FILE, USER_FILE } from './policy-documents.js';

describe('locked and default settings', () => {
  it('with no policy files the built-in values apply, none locked', () => {
    const policy = effectiveOf(undefined);
    expect(policy).toEqual(builtInPolicy());
    expect(policy.source).toBeNull();
  });

  it('a system setting with "Locked": true is locked; without it, it is a default', () => {
    const policy = effectiveOf({
      policies: {
        MaxRecipients: { Value: 50, Locked: true },
        RemoteContent: { Value: 'block' },
        StaleCrl: { Value: 'fail', Locked: false },
      },
    });
    expect(policy.maxRecipients).toEqual({ value: 50, locked: true });
    expect(policy.remoteContent).toEqual({ value: 'block', locked: false });
    expect(policy.staleCrl).toEqual({ value: 'fail', locked: false });
    expect(policy.source).toBe(SYSTEM_FILE);
    expect(policy.problems).toEqual([]);
  });

  it('the sample policy puts every rule of seeds 001 and 002 in force', () => {
    const policy = effectiveOf(samplePolicy());
    expect(policy.problems).toEqual([]);
    expect(policy.km).toEqual({
      value: { url: 'https://km.example.org:8443', caPem: sampleCaPem() },
      locked: true,
    });
    expect(policy.accountPreset).toEqual({
      value: {
        imap: { host: 'imap.example.org', port: 993, tls: 'tls' },
        smtp: { host: 'smtp.example.org', port: 587, tls: 'starttls' },
        usernamePattern: '{email}',
      },
      locked: true,
    });
    expect(policy.signByDefault).toEqual({ value: true, locked: true });
    expect(policy.encryptByDefault).toEqual({ value: false, locked: false });
    expect(policy.securityProfile).toEqual({ value: { kind: 'medium', cacheMinutes: 10 }, locked: true });
    expect(policy.allowSendUnencrypted).toEqual({ value: false, locked: true });
    expect(policy.maxMessageBytes).toEqual({ value: 10 * MEGABYTE, locked: true });
    expect(policy.maxRecipients).toEqual({ value: 100, locked: true });
    expect(policy.blockedAttachmentExtensions.value).toEqual(expect.arrayContaining(['exe', 'js', 'bat']));
    expect(policy.remoteContent).toEqual({ value: 'block', locked: true });
    expect(policy.saveConfidentialAttachments).toEqual({ value: false, locked: true });
    expect(policy.staleCrl).toEqual({ value: 'fail', locked: true });
    const draft = { subject: 'Q3 figures', text: 'see attached', recipients: ['bob@example.test'] };
    expect(encryptionRequiredBy(policy.encryptionRules, { ...draft, subject: 'CONFIDENTIAL: Q3' })).toEqual({
      required: true,
      because: 'The subject contains "Confidential"',
    });
    expect(
      encryptionRequiredBy(policy.encryptionRules, { ...draft, text: 'This is confidential.' }).required,
    ).toBe(true);
    expect(
      encryptionRequiredBy(policy.encryptionRules, { ...draft, recipients: ['carol@Partner.Example'] })
        .because,
    ).toBe('Mail to partner.example must be encrypted (carol@Partner.Example)');
    expect(encryptionRequiredBy(policy.encryptionRules, draft).required).toBe(false);
  });

  it('writes extensions and domains the way IT may type them, and applies them normalised', () => {
    const policy = effectiveOf({
      policies: {
        BlockedAttachmentExtensions: { Value: ['.EXE', 'Js', 'exe'] },
        EncryptionRules: { RecipientDomains: ['@Partner.Example'] },
        MaxMessageSizeMB: { Value: 2.5 },
      },
    });
    expect(policy.blockedAttachmentExtensions.value).toEqual(['exe', 'js']);
    expect(policy.encryptionRules).toContainEqual({ kind: 'recipient-domain', domain: 'partner.example' });
    expect(policy.maxMessageBytes.value).toBe(Math.floor(2.5 * MEGABYTE));
  });
});

describe('precedence', () => {
  it('the per-user file sets defaults where the system policy says nothing', () => {
    const policy = effectiveOf(
      { policies: { MaxRecipients: { Value: 50, Locked: true } } },
      {
        policies: { RemoteContent: { Value: 'block' }, SecurityProfile: { Value: { Level: 'high' } } },
      },
    );
    expect(policy.maxRecipients).toEqual({ value: 50, locked: true });
    expect(policy.remoteContent).toEqual({ value: 'block', locked: false });
    expect(policy.securityProfile).toEqual({ value: { kind: 'high' }, locked: false });
  });

  it('a locked system setting beats the per-user file', () => {
    const policy = effectiveOf(
      { policies: { AllowSendUnencrypted: { Value: false, Locked: true } } },
      { policies: { AllowSendUnencrypted: { Value: true } } },
    );
    expect(policy.allowSendUnencrypted).toEqual({ value: false, locked: true });
  });

  it('a system default also beats the per-user file (system > per-user > built-in)', () => {
    const policy = effectiveOf(
      { policies: { SignByDefault: { Value: false } } },
      { policies: { SignByDefault: { Value: true } } },
    );
    expect(policy.signByDefault).toEqual({ value: false, locked: false });
  });

  it('the per-user file cannot lock anything', () => {
    const policy = effectiveOf(undefined, { policies: { StaleCrl: { Value: 'fail', Locked: true } } });
    expect(policy.staleCrl).toEqual({ value: 'fail', locked: false });
    expect(policy.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^\/home\/alice\/\.config\/sealmail\/policies\.json: policies\.StaleCrl\.Locked: ignored/,
      ),
    ]);
  });

  it('a broken per-user setting does not override a valid system default', () => {
    const policy = effectiveOf(
      { policies: { MaxRecipients: { Value: 200 } } },
      { policies: { MaxRecipients: { Value: 'lots' } } },
    );
    expect(policy.maxRecipients).toEqual({ value: 200, locked: false });
    expect(policy.problems[0]!.message).toContain(`${USER_FILE}: policies.MaxRecipients.Value`);
  });

  it('a broken system setting beats a valid per-user one: restrictive and locked', () => {
    const policy = effectiveOf(
      { policies: { MaxMessageSizeMB: { Value: 100, Locked: true } } },
      { policies: { MaxMessageSizeMB: { Value: 20 } } },
    );
    expect(policy.maxMessageBytes).toEqual({ value: 1 * MEGABYTE, locked: true });
  });

  it('encryption rules of every level add up, and the built-in "Confidential" rule stays', () => {
    const policy = effectiveOf(
      { policies: { EncryptionRules: { SubjectContains: ['Vertraulich', 'confidential'] } } },
      { policies: { EncryptionRules: { RecipientDomains: ['lawyer.example'] } } },
    );
    expect(policy.encryptionRules).toEqual([
      { kind: 'subject-contains', phrase: 'Confidential' },
      { kind: 'subject-contains', phrase: 'Vertraulich' },
      { kind: 'recipient-domain', domain: 'lawyer.example' },
    ]);
  });

  it('problems of both files are listed, each prefixed with its file', () => {
    const policy = effectiveOf(
      { policies: { MaxRecipients: { Value: -1 } } },
      { policies: { RemoteContent: { Value: 'sometimes' } } },
    );
    expect(policy.problems.map((p) => p.message.split(': ').slice(0, 2).join(': '))).toEqual([
      `${SYSTEM_FILE}: policies.MaxRecipients.Value`,
      `${USER_FILE}: policies.RemoteContent.Value`,
    ]);
  });
});
