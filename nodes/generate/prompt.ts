import Mustache from 'mustache';
import type { ChatMessage } from '../../models/types.ts';
import type { Retrieval } from '../sdk/ports.ts';
import type { DraftKind, GenerateConfig, GenerateInput } from './definition.ts';
import { packContext, type PackedContext } from './pack.ts';

const GUIDANCE: Record<DraftKind, string> = {
  reply: 'a reply to the message below, to be sent by email',
  proposal: 'a project proposal for the client',
  'status-update': 'a project status update for the client',
  reminder: 'a short, polite reminder',
  'social-post': 'a short social media post',
  estimate: 'an estimate of cost and time, written for the client',
  'invoice-note': 'a short note to go with an invoice',
  free: 'the text asked for below',
};

export const DEFAULT_MAX_CONTEXT_CHARS = 12_000;

export interface AssembledPrompt {
  system: string;
  user: string;
  messages: ChatMessage[];
  /** The retrieved records the prompt holds (those that fit in maxContextChars), best first. */
  records: Retrieval['records'];
  /** Records left out to stay within the budget. */
  omittedRecords: number;
  /** What happened to each record: included whole, summarised, left out, and why. */
  packing: PackedContext;
}

type ScoredRecord = Retrieval['records'][number];

/** The token budget for retrieved context: contextTokens, else maxContextChars at four characters a token. */
export function contextBudget(config: Pick<GenerateConfig, 'contextTokens' | 'maxContextChars'>): number {
  return config.contextTokens ?? Math.ceil((config.maxContextChars ?? DEFAULT_MAX_CONTEXT_CHARS) / 4);
}

/** The retrieved records as numbered text with their sources, best first, packed into `maxChars`. */
export function contextText(records: ScoredRecord[], maxChars: number): { text: string; used: ScoredRecord[] } {
  const packed = packContext(records, Math.ceil(maxChars / 4));
  return { text: packed.text, used: packed.used };
}

function systemPrompt(config: GenerateConfig): string {
  const lines = [
    `You draft ${GUIDANCE[config.kind]}, on behalf of the owner of a one-person business.`,
    'Write only the text itself, ready to send: no preamble, no comments about the draft, no placeholders such as [Name].',
    'Use only the facts given here; leave out what you do not know rather than inventing it.',
    config.format === 'markdown' ? 'Format: Markdown.' : 'Format: plain text, no Markdown.',
  ];
  const instructions = config.instructions?.trim();
  if (instructions) lines.push(`Instructions: ${instructions}`);
  return lines.join('\n');
}

/**
 * The chat messages for the model: a system message from the kind and instructions, and the
 * template rendered with the inputs (Mustache, no HTML escaping: this is a prompt, not a page).
 */
export function assemblePrompt(input: GenerateInput, config: GenerateConfig): AssembledPrompt {
  const records = input.context?.records ?? [];
  const context = packContext(records, contextBudget(config));
  const view = { ...input, kind: config.kind, contextText: context.text };
  let rendered: string;
  try {
    rendered = Mustache.render(config.template, view, {}, { escape: (value: unknown) => String(value) });
  } catch (error) {
    throw new Error(`the prompt template is invalid: ${(error as Error).message}`, { cause: error });
  }
  const appendContext = context.used.length > 0 && !config.template.includes('contextText');
  const user = appendContext
    ? `${rendered.trim()}\n\nRecords from memory, most relevant first (rely on these for facts):\n${context.text}`
    : rendered.trim();
  const system = systemPrompt(config);
  return {
    system,
    user,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    records: context.used,
    omittedRecords: records.length - context.used.length,
    packing: context,
  };
}
