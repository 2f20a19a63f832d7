// An encrypted send with Bcc goes as separate copies, so that nobody in To or Cc finds a Bcc
// recipient's RecipientInfo in their copy (RFC 5652 §6.2.1), and Sent keeps exactly one.
import { expect, test } from 'vitest';
import { sealedCopies } from '../../renderer/src/state/send-copies.js';
import { stageProgress } from '../../renderer/src/state/send-progress.js';

const certificate = (tag: number) => new Uint8Array([tag]);
const certificates = new Map([
  ['bob@example.test', certificate(1)],
  ['carol@example.test', certificate(2)],
  ['dave@example.test', certificate(3)],
  ['erin@example.test', certificate(4)],
]);

test('To and Cc share the main copy; each Bcc recipient gets a copy encrypted to them alone', () => {
  const copies = sealedCopies(
    { to: ['bob@example.test'], cc: ['carol@example.test'], bcc: ['dave@example.test', 'erin@example.test'] },
    certificates,
  );
  expect(copies).toEqual([
    {
      recipients: ['bob@example.test', 'carol@example.test'],
      encryptTo: [certificate(1), certificate(2)],
      saveToSent: true,
    },
    { recipients: ['dave@example.test'], encryptTo: [certificate(3)], saveToSent: false },
    { recipients: ['erin@example.test'], encryptTo: [certificate(4)], saveToSent: false },
  ]);
});

test('without Bcc there is one copy, kept in Sent', () => {
  expect(sealedCopies({ to: ['bob@example.test'], cc: [], bcc: [] }, certificates)).toEqual([
    { recipients: ['bob@example.test'], encryptTo: [certificate(1)], saveToSent: true },
  ]);
});

test('a Bcc address also in To needs no copy of its own (any letter case)', () => {
  const copies = sealedCopies({ to: ['Bob@Example.test'], cc: [], bcc: ['bob@example.test'] }, certificates);
  expect(copies).toHaveLength(1);
  expect(copies[0]?.encryptTo).toEqual([certificate(1)]);
});

test('with only Bcc recipients, the first copy is the one kept in Sent', () => {
  const copies = sealedCopies(
    { to: [], cc: [], bcc: ['dave@example.test', 'erin@example.test'] },
    certificates,
  );
  expect(copies.map((copy) => [copy.recipients, copy.saveToSent])).toEqual([
    [['dave@example.test'], true],
    [['erin@example.test'], false],
  ]);
});

test('the progress bar says the step in words, and is full only when sent', () => {
  expect(stageProgress('checking')).toEqual({
    value: 0,
    max: 5,
    valueText: 'step 1 of 5, checking recipients',
  });
  expect(stageProgress('sealing')).toEqual({ value: 1, max: 5, valueText: 'step 2 of 5, sealing' });
  expect(stageProgress('sending').valueText).toBe('step 4 of 5, sending');
  expect(stageProgress('sent')).toEqual({ value: 5, max: 5, valueText: 'step 5 of 5, sent' });
});
