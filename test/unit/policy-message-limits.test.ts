// The policy's limits on one outgoing message (issue 7): blocked attachment types, the number of
// recipients and the size, each refused with an error that names the rule and the way out.
import { describe, expect, it } from 'vitest';
import { SealmailError } from '../../core/errors.js';
import { builtInPolicy } from '../../core/policy/effective-policy.js';
import {
  attachmentBlocked,
  checkAttachments,
  checkMessageSize,
  checkRecipientCount,
  estimatedMessageBytes,
} from '../../core/policy/message-limits.js';
import { MEGABYTE } from '../../core/policy/policy-document.js';
import { effectiveOf, samplePolicy } from './policy-documents.js';

function thrown(run: () => void): SealmailError {
  try {
    run();
  } catch (error) {
    if (error instanceof SealmailError) return error;
    throw error;
  }
  throw new Error('expected a SealmailError');
}

describe('blocked attachment types', () => {
  const blocked = ['exe', 'js', 'tar.gz'];
  it.each([
    ['setup.exe', true],
    ['SETUP.EXE', true],
    ['invoice.pdf.exe', true],
    ['setup.exe. ', true],
    ['backup.tar.gz', true],
    ['notes.json', false],
    ['exe', false],
    ['report.exe.pdf', false],
    ['archive.gz', false],
  ])('%s blocked: %s', (name, expected) => {
    expect(attachmentBlocked(blocked, name)).toBe(expected);
  });

  it('"*" blocks every attachment', () => {
    expect(attachmentBlocked(['*'], 'photo.jpg')).toBe(true);
    expect(
      thrown(() =>
        checkAttachments(effectiveOf({ policies: { BlockedAttachmentExtensions: { Value: ['*'] } } }), [
          'a.txt',
        ]),
      ).message,
    ).toBe('Your organisation does not allow attachments; remove a.txt.');
  });

  it('the sample policy refuses a script and names it and the blocked types', () => {
    const error = thrown(() => checkAttachments(effectiveOf(samplePolicy()), ['report.pdf', 'run.js']));
    expect(error.code).toBe('BLOCKED_BY_POLICY');
    expect(error.message).toMatch(
      /^Your organisation does not allow attaching run\.js \(blocked file types: \.exe .*\.js/,
    );
    expect(error.message).toContain('remove it or send a different format');
    expect(() => checkAttachments(effectiveOf(samplePolicy()), ['report.pdf'])).not.toThrow();
  });
});

describe('recipients and size', () => {
  it('refuses more recipients than the policy allows', () => {
    const policy = effectiveOf({ policies: { MaxRecipients: { Value: 3, Locked: true } } });
    expect(() => checkRecipientCount(policy, 3)).not.toThrow();
    const error = thrown(() => checkRecipientCount(policy, 4));
    expect(error.code).toBe('BLOCKED_BY_POLICY');
    expect(error.message).toBe(
      'This message has 4 recipients; your organisation allows at most 3. Remove some, or send it in parts.',
    );
  });

  it('refuses a message over the size limit with MESSAGE_TOO_LARGE', () => {
    const policy = effectiveOf(samplePolicy());
    expect(() => checkMessageSize(policy, 10 * MEGABYTE)).not.toThrow();
    const error = thrown(() => checkMessageSize(policy, 12 * MEGABYTE));
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(error.message).toBe(
      'This message is about 12 MB; your organisation allows at most 10 MB. Remove or shrink attachments, or share large files another way.',
    );
  });

  it('estimates the MIME size from the parts: an 8 MB attachment base64-encodes past 10 MB', () => {
    const bytes = estimatedMessageBytes({ textBytes: 1000, attachmentBytes: [8 * MEGABYTE] });
    expect(bytes).toBeGreaterThan(10 * MEGABYTE);
    expect(bytes).toBeLessThan(11.2 * MEGABYTE);
    expect(() => checkMessageSize(builtInPolicy(), bytes)).not.toThrow();
  });
});
