// Seed 003's "Send Enrollment Message": the temporary key mailed in an editable welcome
// message. The administrator's template is plain text: an optional first line "Subject: …",
// a blank line, then the body, with {{email}}, {{temporaryKey}}, {{expires}} and {{kmUrl}}
// filled in. A template may leave the key out; the seed then has the administrator hand it over
// some other way, so the caller is told.
export const defaultWelcomeTemplate = `Subject: Your Sealmail secure mail enrollment

Hello,

Your organisation has enabled signed and encrypted mail for {{email}}.

In Sealmail, choose "Enroll" and enter this one-time temporary key:

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
  const fill = (text: string): string =>
    text.replace(
      /\{\{\s*(email|temporaryKey|expires|kmUrl)\s*\}\}/g,
      (_all, name: keyof typeof values) => values[name],
    );
  return {
    subject: fill(subjectLine?.[1]?.trim() || 'Your Sealmail secure mail enrollment'),
    text: fill(body),
    includesKey: /\{\{\s*temporaryKey\s*\}\}/.test(template),
  };
}
