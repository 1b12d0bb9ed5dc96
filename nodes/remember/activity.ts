import type { NewMemoryRecord } from '../../memory/types.ts';
import type { MemoryKind } from '../../schemas/memory-record.ts';
import type { RunFn } from '../sdk/define-node.ts';
import type { RememberConfig, RememberInput, RememberOutput } from './definition.ts';
import { splitParagraphs } from './split.ts';

/** The text of whatever arrives: a string, a draft (subject + text), or an object with `text`. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content && typeof content === 'object') {
    const { subject, text } = content as { subject?: unknown; text?: unknown };
    if (typeof text === 'string') return typeof subject === 'string' && subject ? `${subject}\n\n${text}` : text;
  }
  return JSON.stringify(content);
}

export const runRemember: RunFn<RememberConfig, RememberInput, RememberOutput> = async (input, config, context) => {
  const text = textOf(input.content).trim();
  if (!text) throw new Error('remember got empty content');
  const { event } = input;
  const byHuman = Boolean(input.reviewer && !input.reviewer.startsWith('system:'));
  const edited = input.decision === 'edited';
  const sourceUri = config.sourceUri ?? event?.source.uri ?? `trellis://run/${context.workflowId}/${context.nodeId}`;
  const version = event?.source.version ?? '1';
  const kind: MemoryKind = edited ? 'correction' : (config.kind ?? 'fact');
  const chunks = (config.split ?? 'none') === 'paragraphs' ? splitParagraphs(text, config.maxChars ?? 1500) : [text];
  const records: NewMemoryRecord[] = chunks.map((chunk) => ({
    text: chunk,
    kind,
    ...(event?.projectId ? { projectId: event.projectId } : {}),
    ...(event?.clientId ? { clientId: event.clientId } : {}),
    source: { uri: sourceUri, version },
    confidence: config.confidence ?? (byHuman ? 1 : (event?.confidence ?? 0.8)),
    provenance: {
      workflowId: context.workflowId,
      nodeId: context.nodeId,
      ...(byHuman && input.reviewer ? { reviewer: input.reviewer } : {}),
    },
  }));
  // Supersede first: the store ids are deterministic, so a retry re-writes the same records.
  const superseded = (config.supersede ?? true) ? await context.services.memory.supersede(sourceUri, version) : 0;
  const stored = await context.services.memory.upsert(records);
  return {
    output: { ids: stored.map((record) => record.id), sourceUri, version, superseded },
    meta: { notes: [`${stored.length} records as ${kind}${superseded ? `, ${superseded} older superseded` : ''}`] },
  };
};
