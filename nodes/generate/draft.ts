import { finishReasonConfidence } from '../../models/json-reply.ts';
import type { ReplyInfo } from '../../models/types.ts';
import type { Draft, EventValue } from '../sdk/ports.ts';
import type { DraftKind, GenerateConfig, GenerateInput } from './definition.ts';

const TITLES: Record<DraftKind, string> = {
  reply: 'Write a reply',
  proposal: 'Write a proposal',
  'status-update': 'Write a status update',
  reminder: 'Write a reminder',
  'social-post': 'Write a social post',
  estimate: 'Write an estimate',
  'invoice-note': 'Write an invoice note',
  free: 'Write a draft',
};

/** What a draft carries besides its text, taken from the inputs rather than from the model. */
export type DraftFrame = Omit<Draft, 'text'>;

function replySubject(event: EventValue | undefined): string | undefined {
  const subject = event?.payload.subject?.trim();
  if (!subject) return undefined;
  return /^re:/i.test(subject) ? subject : `Re: ${subject}`;
}

export function draftFrame(input: GenerateInput, config: GenerateConfig): DraftFrame {
  const frame: DraftFrame = { kind: config.kind, format: config.format ?? 'plain' };
  if (config.kind !== 'reply') return frame;
  const subject = replySubject(input.event);
  const to = input.event?.actor.address;
  return { ...frame, ...(subject ? { subject } : {}), ...(to ? { to } : {}) };
}

/**
 * Turns the model's text into a draft. Confidence comes from how the reply ended
 * (finishReasonConfidence: 0.9 when the model stopped on its own, 0.4 when cut off at the
 * token limit, 0.1 when filtered); an empty reply is malformed, so the router degrades.
 */
export function parseDraft(text: string, reply: ReplyInfo, frame: DraftFrame): { value: Draft; confidence: number } {
  const body = text.trim();
  if (!body) throw new Error('the model returned an empty draft');
  return { value: { ...frame, text: body }, confidence: finishReasonConfidence(reply.finishReason) };
}

/** The review task's title: what to write, to whom, about what. */
export function draftTitle(kind: DraftKind, event: EventValue | undefined): string {
  const who = event?.actor.name ?? event?.actor.address;
  const subject = event?.payload.subject?.trim();
  const title = `${TITLES[kind]}${who ? ` to ${who}` : ''}${subject ? `: ${subject}` : ''}`;
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}
