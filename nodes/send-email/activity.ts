import { MailAccountError, MailOutcomeUnknownError, MailRefusedError } from '../../mail/send/errors.ts';
import { countAutoSentSince, getOutboxByKey } from '../../store/mail-outbox.ts';
import type { RunFn } from '../sdk/define-node.ts';
import { NodeInputError } from '../sdk/context.ts';
import { approvalOf, startOfUtcDay } from './approval.ts';
import type { SendEmailConfig, SendEmailInput, SendEmailOutput } from './definition.ts';
import { composeFor } from './message.ts';

/**
 * A thin adapter over mail/send: checks the approval (once: a retry finds the outbox row and goes
 * on with it), composes the message, and sends it at most once under the activity's key. An
 * unknown outcome becomes a retryable error, so Temporal keeps asking until a person answers.
 */
export const runSendEmail: RunFn<SendEmailConfig, SendEmailInput, SendEmailOutput> = async (input, config, context) => {
  const { db, mail } = context.services;
  if (!mail) throw new NodeInputError('this worker has no mail sender (NodeServices.mail): it cannot send email');
  const now = context.services.now();
  const existing = await getOutboxByKey(db, context.idempotencyKey);
  const notes: string[] = [];
  let approvedBy = existing?.approvedBy;
  if (!existing) {
    const today = config.autoSend ? await countAutoSentSince(db, config.account, startOfUtcDay(now)) : 0;
    const approval = approvalOf(input, config, today);
    if ('refused' in approval) throw new NodeInputError(`not sending: ${approval.refused}`);
    approvedBy = approval.approvedBy;
    notes.push(approval.note);
  }
  const composed = await composeFor(db, input, config, context.idempotencyKey, now);
  try {
    const { entry, how } = await mail.send({
      accountId: config.account,
      composed,
      idempotencyKey: context.idempotencyKey,
      ...(approvedBy ? { approvedBy } : {}),
      workflowId: context.workflowId,
      runId: context.runId,
      nodeId: context.nodeId,
    });
    notes.push(`${entry.messageId} ${how} (outbox ${entry.id}, attempt ${entry.attempts})`);
    context.log('email sent', { outboxId: entry.id, how });
    return {
      output: {
        outboxId: entry.id,
        messageId: entry.messageId,
        to: entry.recipients,
        subject: entry.subject,
        approvedBy: entry.approvedBy ?? approvedBy ?? 'unknown',
        how,
      },
      meta: { notes },
    };
  } catch (error) {
    if (error instanceof MailAccountError || error instanceof MailRefusedError) throw new NodeInputError(error.message);
    if (error instanceof MailOutcomeUnknownError) context.log('waiting for a person', { outboxId: error.outboxId });
    throw error;
  }
};
