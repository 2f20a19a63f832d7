// The composer names the file and the limit the moment an attachment does not fit (seed 001),
// and the recipient boxes accept exactly what the services' schema accepts.
import { expect, test } from 'vitest';
import { builtInPolicy } from '../../core/policy/effective-policy.js';
import {
  addressesIn,
  attachmentProblem,
  isAddress,
  recipientCountProblem,
} from '../../renderer/src/state/compose-limits.js';

const policy = {
  ...builtInPolicy(),
  maxMessageBytes: { value: 10 * 1024 * 1024, locked: true },
  blockedAttachmentExtensions: { value: ['exe', 'js', 'tar.gz'], locked: true },
  maxRecipients: { value: 3, locked: true },
};

test('a file over the message limit is refused with its name, its size and the limit', () => {
  const problem = attachmentProblem({ filename: 'video.mp4', size: 12 * 1024 * 1024 }, 0, policy);
  expect(problem).toBe(
    '"video.mp4" (12 MB) cannot be attached: a message may be at most 10 MB, and 10 MB is left.',
  );
});

test('the limit is on the whole message: what is already attached counts', () => {
  expect(attachmentProblem({ filename: 'b.pdf', size: 4 * 1024 * 1024 }, 5 * 1024 * 1024, policy)).toBeNull();
  expect(attachmentProblem({ filename: 'c.pdf', size: 2 * 1024 * 1024 }, 9 * 1024 * 1024, policy)).toContain(
    'and 1 MB is left',
  );
});

test('a blocked extension is refused whatever its size, in any letter case', () => {
  expect(attachmentProblem({ filename: 'setup.EXE', size: 10 }, 0, policy)).toBe(
    '"setup.EXE" cannot be attached. Your organisation does not allow attaching setup.EXE ' +
      '(blocked file types: .exe .js .tar.gz); remove it or send a different format.',
  );
  expect(attachmentProblem({ filename: 'notes.txt', size: 10 }, 0, policy)).toBeNull();
});

test('Windows runs "setup.exe." and "setup.exe " as setup.exe, so they are refused too', () => {
  expect(attachmentProblem({ filename: 'setup.exe.', size: 10 }, 0, policy)).toContain('cannot be attached');
  expect(attachmentProblem({ filename: 'setup.exe. ', size: 10 }, 0, policy)).toContain('cannot be attached');
});

test('a compound entry ("tar.gz") is matched at the end of the name, and only there', () => {
  expect(attachmentProblem({ filename: 'archive.tar.gz', size: 10 }, 0, policy)).toContain(
    '"archive.tar.gz" cannot be attached',
  );
  expect(attachmentProblem({ filename: 'photo.gz', size: 10 }, 0, policy)).toBeNull();
  expect(attachmentProblem({ filename: 'tar.gz.pdf', size: 10 }, 0, policy)).toBeNull();
});

test('the restrictive policy a broken policy file falls back to (["*"]) blocks every attachment', () => {
  const restrictive = { ...policy, blockedAttachmentExtensions: { value: ['*'], locked: true } };
  for (const filename of ['notes.txt', 'README', 'photo.jpg']) {
    expect(attachmentProblem({ filename, size: 10 }, 0, restrictive)).toBe(
      `"${filename}" cannot be attached. Your organisation does not allow attachments; remove ${filename}.`,
    );
  }
});

test('too many recipients says how many to remove', () => {
  expect(recipientCountProblem(3, policy)).toBeNull();
  expect(recipientCountProblem(5, policy)).toBe(
    'A message may go to at most 3 recipients; this one has 5. Remove 2.',
  );
});

test('typed recipients split on commas, semicolons and spaces; only addresses become chips', () => {
  expect(addressesIn('bob@example.test, carol@example.test; <dave@example.test>  ')).toEqual([
    'bob@example.test',
    'carol@example.test',
    'dave@example.test',
  ]);
  expect(isAddress('bob@example.test')).toBe(true);
  expect(isAddress('bob')).toBe(false);
  expect(isAddress('bob@')).toBe(false);
});
