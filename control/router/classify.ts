import { extractEmail } from '../../extraction/extract.ts';
import { emailInputOfEvent } from '../../extraction/message/email-input.ts';
import { applyCorrections } from '../../nodes/extract/corrections.ts';
import { resolveModels } from '../../nodes/extract/intent-model.ts';
import { findCorrections } from '../../nodes/extract/learned.ts';
import { localModelName } from '../../nodes/extract/local-model.ts';
import { toPort } from '../../nodes/extract/to-port.ts';
import type { EventValue } from '../../nodes/sdk/ports.ts';
import type { Event } from '../../schemas/event.ts';
import type { Queryable } from '../../store/db.ts';
import type { ControlDeps } from '../deps.ts';

export interface Classification {
  intent: string;
  confidence: number;
  model: string;
  notes: string[];
}

/**
 * The event's intent from the extract node's local tier (no model server, no cost), with the
 * person's corrections for this client applied when memory is at hand, and the live intent
 * model (a retrained one once promoted) when the database is: the router and the extract node
 * agree on what a message is about.
 */
export async function classifyEvent(
  deps: Pick<ControlDeps, 'memory' | 'embedder'> & { db?: Queryable },
  event: Event,
): Promise<Classification> {
  const value: EventValue = event;
  const { models, intentVersion } = await resolveModels(deps.db);
  const model = localModelName(intentVersion);
  const result = extractEmail(emailInputOfEvent(value), { models });
  let { extraction } = toPort(result, value, [], model);
  const notes: string[] = [];
  if (deps.memory && deps.embedder) {
    const learned = await findCorrections({ memory: deps.memory, embedder: deps.embedder }, value);
    const applied = applyCorrections(extraction, value, learned.corrections);
    extraction = applied.extraction;
    notes.push(...learned.notes, ...applied.notes);
  }
  return { intent: extraction.intent.label, confidence: extraction.intent.confidence, model, notes };
}
