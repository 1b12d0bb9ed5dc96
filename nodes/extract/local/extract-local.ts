// The local tier: everything extract finds, with no model server and no network.
import type { EventValue, Extraction } from '../../sdk/ports.ts';
import { findActionItems, type FoundAction } from './actions.ts';
import { findAmounts } from './amounts.ts';
import { findDates, looksGerman, type FoundDate, type Reference } from './dates.ts';
import { fillFields } from './fields.ts';
import { brandMismatch, classifyIntent } from './intent.ts';
import { currencyOfSender, guessDateOrder } from './locale.ts';
import { splitMessage } from './message.ts';
import { sentencesOf } from './nlp.ts';
import { findPeopleAndOrganizations } from './people.ts';

export const localModel = 'trellis-local-extract@1';

export interface LocalOptions {
  fields?: readonly string[];
  /** Which timestamp of the event relative dates ("tomorrow") resolve against. */
  referenceDate?: 'occurredAt' | 'receivedAt';
  dateOrder?: 'auto' | 'month-first' | 'day-first';
}

export interface LocalResult {
  extraction: Extraction;
  notes: string[];
}

const round = (value: number) => Math.round(value * 100) / 100;

/** "2025-03-04T14:22:10-05:00" → the instant and the writer's offset (-300). */
export function referenceOf(timestamp: string): Reference {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(timestamp);
  const offsetMinutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return { instant: new Date(timestamp), offsetMinutes };
}

function textOf(event: EventValue): string {
  const { text, html } = event.payload;
  if (typeof text === 'string' && text.trim()) return text;
  // HTML-only mail: paragraphs and line breaks become newlines, tags and entities go.
  return (html ?? '')
    .replace(/<(br|\/p|\/div|\/li|\/h\d)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

const autoReply =
  /^(automatic reply|auto(matic)?[- ]?reply|out of (the )?office|abwesenheitsnotiz|réponse automatique|risposta automatica)\b/i;

export function extractLocally(event: EventValue, options: LocalOptions = {}): LocalResult {
  const notes: string[] = [];
  const subject = event.payload.subject ?? '';
  const sender = { name: event.actor.name, address: event.actor.address };
  const parts = splitMessage(textOf(event));
  const sentences = sentencesOf(parts.body);
  const reference = referenceOf(options.referenceDate === 'receivedAt' ? event.receivedAt : event.occurredAt);
  const order =
    !options.dateOrder || options.dateOrder === 'auto' ? guessDateOrder(parts.body, sender.address) : options.dateOrder;
  const german = looksGerman(parts.body);
  const senderCurrency = currencyOfSender(sender.address);
  const dollarCurrency = ['CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN'].includes(senderCurrency ?? '')
    ? senderCurrency
    : 'USD';

  const amounts = findAmounts(parts.body, {
    ...(senderCurrency ? { senderCurrency } : {}),
    ...(dollarCurrency ? { dollarCurrency } : {}),
  });
  const annotated = sentences.map((sentence) => ({
    sentence,
    dates: findDates(sentence.text, reference, order, german),
    amounts: amounts.filter((amount) => sentence.text.includes(amount.text)),
  }));

  const senderName = sender.name && !/@/.test(sender.name) ? sender.name : parts.signature[0];
  let actions: FoundAction[] = findActionItems(annotated, senderName ? { senderName } : {});
  const isAutoReply = autoReply.test(subject);
  const intent = classifyIntent({
    subject,
    body: parts.body,
    hasAmounts: amounts.length > 0,
    brandMismatch: brandMismatch(sender.name, sender.address),
    requestCount: actions.filter((action) => action.owner === 'me').length,
  });
  if (isAutoReply) {
    intent.label = 'other';
    intent.confidence = Math.max(intent.confidence, 0.9);
  }
  // Nobody should act on spam or an auto-reply; their "requests" are not tasks.
  if (intent.label === 'spam' || isAutoReply) actions = [];

  const dates = dedupeByDay([
    ...findDates(subject, reference, order, german),
    ...annotated.flatMap((entry) => entry.dates),
  ]);
  const { people, organizations } = findPeopleAndOrganizations({
    sender,
    ...(parts.greetingName ? { greetingName: parts.greetingName } : {}),
    signature: parts.signature,
    sentences,
  });
  const { fields, missing } = fillFields(options.fields ?? [], {
    body: parts.body,
    sentences: annotated,
    amounts,
    actions,
    people,
    organizations,
    sender,
  });
  if (missing.length > 0) notes.push(`fields not found: ${missing.join(', ')}`);
  notes.push(
    `intent scores: ${Object.entries(intent.scores)
      .map(([label, score]) => `${label} ${round(score)}`)
      .join(', ')}`,
  );

  const actionConfidence =
    actions.length > 0 ? actions.reduce((sum, action) => sum + action.confidence, 0) / actions.length : 1;
  const extraction: Extraction = {
    intent: { label: intent.label, confidence: round(intent.confidence) },
    actionItems: actions.map(({ text, owner, due, confidence }) => ({
      text,
      owner,
      ...(due ? { due } : {}),
      confidence: round(confidence),
    })),
    dates: dates.map(({ text, date, confidence }) => ({ text, date, confidence: round(confidence) })),
    amounts: amounts.map(({ text, amountMinor, currency, confidence }) => ({
      text,
      amountMinor,
      currency,
      confidence: round(confidence),
    })),
    people: people.map(({ name, email, confidence }) => ({
      name,
      ...(email ? { email } : {}),
      confidence: round(confidence),
    })),
    organizations: organizations.map(({ name, confidence }) => ({ name, confidence: round(confidence) })),
    ...(options.fields && options.fields.length > 0 ? { fields } : {}),
    confidence: round(Math.min(intent.confidence, actionConfidence)),
    tier: 'local',
    model: localModel,
  };
  return { extraction, notes };
}

function dedupeByDay(dates: FoundDate[]): FoundDate[] {
  const seen = new Map<string, FoundDate>();
  for (const date of dates) {
    const existing = seen.get(date.day);
    if (!existing || (existing.date.length < date.date.length && existing.confidence <= date.confidence))
      seen.set(date.day, date);
  }
  return [...seen.values()];
}
