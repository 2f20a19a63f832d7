// Attack classes M1–M4 and EFAIL direct exfiltration: only the MIME root counts. A signed or
// encrypted part nested under unsigned text, HTML, `cid:` references or attachments is not
// verified, not decrypted and never shown as "signed"; it is only reported, so that the reader
// knows why a message that contains a signature is not called signed.
import type { ErrorInfo } from '../errors.js';
import { parseEntity, type MimeEntity } from '../mime/entity.js';
import { splitMultipart } from '../mime/multipart.js';
import { entry } from './verify/verdict.js';

const securityTypes = new Set([
  'multipart/signed',
  'multipart/encrypted',
  'application/pkcs7-mime',
  'application/x-pkcs7-mime',
  'application/pkcs7-signature',
  'application/x-pkcs7-signature',
]);

/** Warnings for security parts below the root; scans at most `maxDepth` levels. */
export function nestedSecurityParts(root: MimeEntity, maxDepth = 4): ErrorInfo[] {
  let found = 0;
  const visit = (entity: MimeEntity, depth: number) => {
    if (depth > maxDepth || entity.contentType.type !== 'multipart') return;
    const boundary = entity.contentType.parameters.boundary;
    if (!boundary) return;
    let parts: Uint8Array[];
    try {
      parts = splitMultipart(entity.body, boundary).parts;
    } catch {
      return;
    }
    for (const part of parts) {
      let child: MimeEntity;
      try {
        child = parseEntity(part);
      } catch {
        continue;
      }
      if (securityTypes.has(child.contentType.mediaType)) found++;
      else visit(child, depth + 1);
    }
  };
  visit(root, 0);
  if (found === 0) return [];
  return [
    entry(
      'NESTED_PART_IGNORED',
      `This message contains ${found} signed or encrypted part(s) inside an unprotected message. ` +
        'They were not verified or decrypted, and the message does not count as signed or encrypted.',
    ),
  ];
}
