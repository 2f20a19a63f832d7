// Seed 003's "Send Enrollment Message": the temporary key mailed in an editable welcome
// message. The administrator's template is plain text: an optional first line "Subject: …",
// a blank line, then the body, with {{email}}, {{temporaryKey}}, {{expires}}, {{kmUrl}} and
// {{enrollmentLink}} filled in. The link (sealmail://enroll?…, core/enrollment/enrollment-link.ts)
// opens Sealmail's wizard with the key filled in; the user still confirms there. A template may
// leave the key (and the link) out; the seed then has the administrator hand it over some other
// way, so the caller is told.
import { formatEnrollmentLink } from '../../core/enrollment/enrollment-link.js';

export const defaultWelcomeTemplate = `Subject: Your Sealmail secure mail enrollment

Hello,

Your organisation has enabled signed and encrypted mail for {{email}}.

On the computer where Sealmail is installed, open this link:

    {{enrollmentLink}}

Or, in Sealmail, choose Security settings > Set up Advanced Security and enter this one-time
temporary key:

    {{temporaryKey}}

It works once, until {{expires}}. Sealmail checks it as you type, then fetches your
certificates from {{kmUrl}}.

If you did not expect this message, tell your administrator.
`;

export interface EnrollmentMessage {
  subject: string;
  text: string;
  /** False when the template left the key out: it must reach the user another way. */
  includesKey: boolean;
}

export function renderEnrollmentMessage(
  template: string,
  values: { email: string; temporaryKey: string; expires: string; kmUrl: string },
): EnrollmentMessage {
  const normalized = template.replace(/\r\n/g, '\n');
  const subjectLine = /^Subject:[ \t]*(.*)\n\n?/i.exec(normalized);
  const body = subjectLine ? normalized.slice(subjectLine[0].length) : normalized;
  const all = { ...values, enrollmentLink: formatEnrollmentLink(values) };
  const fill = (text: string): string =>
    text.replace(
      /\{\{\s*(email|temporaryKey|expires|kmUrl|enrollmentLink)\s*\}\}/g,
      (_all, name: keyof typeof all) => all[name],
    );
  return {
    subject: fill(subjectLine?.[1]?.trim() || 'Your Sealmail secure mail enrollment'),
    text: fill(body),
    // The link carries the key too.
    includesKey: /\{\{\s*(temporaryKey|enrollmentLink)\s*\}\}/.test(template),
  };
}
