import { extractEmail } from '../../extraction/extract.ts';
import { emailInputOfEvent } from '../../extraction/message/email-input.ts';
import { loadModels } from '../../extraction/models/load.ts';
import { applyCorrections } from '../../nodes/extract/corrections.ts';
import { findCorrections } from '../../nodes/extract/learned.ts';
import { localModelName } from '../../nodes/extract/local-model.ts';
import { toPort } from '../../nodes/extract/to-port.ts';
import type { EventValue } from '../../nodes/sdk/ports.ts';
import type { Event } from '../../schemas/event.ts';
import type { ControlDeps } from '../deps.ts';

export interface Classification {
  intent: string;
  confidence: number;
  model: string;
  notes: string[];
}

/**
 * The event's intent from the extract node's local tier (no model server, no cost), with the
 * person's corrections for this client applied when memory is at hand: the router and the
 * extract node agree on what a message is about.
 */
export async function classifyEvent(
  deps: Pick<ControlDeps, 'memory' | 'embedder'>,
  event: Event,
): Promise<Classification> {
  const value: EventValue = event;
  const result = extractEmail(emailInputOfEvent(value), { models: loadModels() });
  let { extraction } = toPort(result, value, [], localModelName());
  const notes: string[] = [];
  if (deps.memory && deps.embedder) {
    const learned = await findCorrections({ memory: deps.memory, embedder: deps.embedder }, value);
    const applied = applyCorrections(extraction, value, learned.corrections);
    extraction = applied.extraction;
    notes.push(...learned.notes, ...applied.notes);
  }
  return { intent: extraction.intent.label, confidence: extraction.intent.confidence, model: localModelName(), notes };
}
