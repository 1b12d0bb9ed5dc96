// A person's corrections of extractions as labelled examples for the intent model: the email the
// review task showed them (its event) and the intent they approved. The features are what the
// extractor's intent model sees of that email, so a retrained model learns exactly that.
import { extractFindings } from '../../extraction/extract.ts';
import type { IntentLabel } from '../../extraction/intent/classify.ts';
import type { FineTuneExample } from '../../extraction/learn/fine-tune.ts';
import { emailInputOfEvent } from '../../extraction/message/email-input.ts';
import type { EventValue, Intent } from '../../nodes/sdk/ports.ts';
import type { Queryable } from '../../store/db.ts';
import { eventOf } from './corrections.ts';

export interface IntentExample extends FineTuneExample {
  label: IntentLabel;
  /** The review task the person decided, and the label the machine had given. */
  taskId: string;
  eventId?: string;
  labelBefore?: string;
}

export interface SkippedCorrection {
  taskId: string;
  reason: string;
}

/** The port's "change-request" is the library's "change". */
export const libraryIntent = (label: Intent): IntentLabel => (label === 'change-request' ? 'change' : label);

/**
 * One correction as an example, or why it cannot be one: mail whose kind its headers decide
 * (auto-replies, bounces, lists) never reaches the model, so it teaches it nothing.
 */
export function intentExampleOf(
  taskId: string,
  event: EventValue | undefined,
  intentAfter: Intent,
  intentBefore?: string,
): IntentExample | SkippedCorrection {
  if (!event || typeof event.payload !== 'object') return { taskId, reason: 'the review task holds no event' };
  const findings = extractFindings(emailInputOfEvent(event));
  if (findings.intentByHeaders) return { taskId, reason: 'its headers decide the intent (machine mail)' };
  return {
    taskId,
    ...(event.id ? { eventId: event.id } : {}),
    ...(intentBefore ? { labelBefore: intentBefore } : {}),
    features: findings.intentFeatures,
    label: libraryIntent(intentAfter),
  };
}

interface CorrectionRow {
  task_id: string;
  intent_before: string | null;
  intent_after: Intent;
  context: unknown;
}

/**
 * Every stored correction of an extraction that says which intent is right (an edit, whether it
 * changed the intent or confirmed it while fixing something else), oldest first.
 */
export async function intentExamplesFromCorrections(
  db: Queryable,
  { limit = 2000 }: { limit?: number } = {},
): Promise<{ examples: IntentExample[]; skipped: SkippedCorrection[] }> {
  const { rows } = await db.query<CorrectionRow>(
    `select c.task_id, c.intent_before, c.intent_after, t.context
     from control_corrections c join review_tasks t on t.id = c.task_id
     where c.kind = 'extraction' and c.decision = 'edited' and c.intent_after is not null
     order by c.created_at, c.task_id limit $1`,
    [limit],
  );
  const examples: IntentExample[] = [];
  const skipped: SkippedCorrection[] = [];
  for (const row of rows) {
    const event = eventOf({ context: row.context as Record<string, unknown> });
    const found = intentExampleOf(row.task_id, event, row.intent_after, row.intent_before ?? undefined);
    if ('features' in found) examples.push(found);
    else skipped.push(found);
  }
  return { examples, skipped };
}
