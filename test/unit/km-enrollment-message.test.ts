// Seed 003's editable enrollment welcome message: the administrator's template gets the
// mailbox, the temporary key, its expiry and the KM address filled in.
import { describe, expect, it } from 'vitest';
import { defaultWelcomeTemplate, renderEnrollmentMessage } from '../../km/mailbox/enrollment-message.js';
import { parseEnrollmentLink } from '../../core/enrollment/enrollment-link.js';
import { generateTemporaryKey } from '../../core/enrollment/temporary-key.js';

const values = {
  email: 'bob@example.test',
  temporaryKey: 'ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2',
  expires: '2026-12-01T00:00:00.000Z',
  kmUrl: 'https://km.example.test:8443',
};

describe('enrollment welcome message', () => {
  it('fills the default template', () => {
    const message = renderEnrollmentMessage(defaultWelcomeTemplate, values);
    expect(message.subject).toBe('Your Sealmail secure mail enrollment');
    expect(message.text).toContain('    ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2\n');
    expect(message.text).toContain('until 2026-12-01T00:00:00.000Z');
    expect(message.text).toContain('https://km.example.test:8443');
    expect(message.text).not.toContain('{{');
    expect(message.includesKey).toBe(true);
  });

  it('carries a sealmail:// link that opens the wizard with the mailbox, key and KM filled in', () => {
    const temporaryKey = generateTemporaryKey();
    const message = renderEnrollmentMessage(defaultWelcomeTemplate, { ...values, temporaryKey });
    const link = /sealmail:\/\/enroll\?\S+/.exec(message.text)?.[0];
    expect(link).toBeDefined();
    expect(parseEnrollmentLink(link ?? '')).toEqual({
      email: 'bob@example.test',
      temporaryKey,
      kmUrl: 'https://km.example.test:8443/',
    });
    // A template with only the link still hands over the key.
    expect(renderEnrollmentMessage('Open {{enrollmentLink}}', { ...values, temporaryKey }).includesKey).toBe(
      true,
    );
  });

  it('takes an edited subject and body, and says when the key was left out', () => {
    const edited = renderEnrollmentMessage(
      'Subject: Welcome {{ email }}\r\n\r\nCall the help desk for your key.\r\n',
      values,
    );
    expect(edited).toEqual({
      subject: 'Welcome bob@example.test',
      text: 'Call the help desk for your key.\n',
      includesKey: false,
    });
    expect(renderEnrollmentMessage('Key: {{temporaryKey}}', values)).toMatchObject({
      subject: 'Your Sealmail secure mail enrollment',
      text: 'Key: ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2',
    });
  });
});
