// The managed policy's limits on `sealmail mail send` (issue 7): a blocked attachment type, too
// many recipients or a message over the size limit is refused BEFORE any crypto work or queueing,
// with the same errors the composer shows. Problems in the policy files are printed as warnings:
// the restrictive settings they cause are what is enforced here.
import type { OutgoingMessage } from '../../../core/api/schemas.js';
import {
  checkAttachments,
  checkMessageSize,
  checkRecipientCount,
  estimatedMessageBytes,
} from '../../../core/policy/message-limits.js';
import { loadEffectivePolicy, policyFilesFor } from '../../services/policy/policy-service.js';
import type { CliContext } from '../program.js';

export async function obeyMessageLimits(message: OutgoingMessage, context: CliContext): Promise<void> {
  const policy = await loadEffectivePolicy(policyFilesFor(context.home()));
  for (const problem of policy.problems)
    context.err(`sealmail: warning: ${problem.code}: ${problem.message}`);
  checkAttachments(
    policy,
    message.attachments.map((attachment) => attachment.filename),
  );
  checkRecipientCount(policy, message.to.length + message.cc.length + message.bcc.length);
  const encoder = new TextEncoder();
  checkMessageSize(
    policy,
    estimatedMessageBytes({
      textBytes: encoder.encode(message.text).length + encoder.encode(message.html ?? '').length,
      attachmentBytes: message.attachments.map((attachment) => attachment.content.length),
    }),
  );
}
