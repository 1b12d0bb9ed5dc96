import type { SendEmailConfig, SendEmailInput } from './definition.ts';

export type Approval = { approvedBy: string; note: string } | { refused: string };

/** Start of the UTC day `now` is in: autoSend's cap counts from there. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * Whether this message may go: a person approved (or edited) it in review, or the autoSend policy
 * allows it (confident enough, under the daily cap) and it does not answer an auto-reply or bounce.
 */
export function approvalOf(input: SendEmailInput, config: SendEmailConfig, autoSentToday: number): Approval {
  const { decision } = input;
  if (decision === 'approved' || decision === 'edited') {
    const reviewer = input.reviewer ?? 'a reviewer';
    return { approvedBy: reviewer, note: `${decision} by ${reviewer} in review` };
  }
  if (decision) return { refused: `the review decision is "${decision}": nothing is sent` };
  const auto = config.autoSend;
  if (!auto) return { refused: 'no approved review decision in the input, and autoSend is not configured' };
  if (input.event?.payload.automated) {
    return { refused: 'the email answered is an auto-reply or a bounce: it is never answered automatically' };
  }
  if (input.confidence === undefined) return { refused: 'autoSend needs a confidence in the input' };
  if (input.confidence < auto.minConfidence) {
    return { refused: `confidence ${input.confidence} is below autoSend's ${auto.minConfidence}` };
  }
  if (autoSentToday >= auto.maxPerDay) {
    return { refused: `autoSend's ${auto.maxPerDay} messages today are used up` };
  }
  return {
    approvedBy: 'auto',
    note: `sent without review: confidence ${input.confidence} ≥ ${auto.minConfidence}, ${autoSentToday + 1} of ${auto.maxPerDay} today`,
  };
}
