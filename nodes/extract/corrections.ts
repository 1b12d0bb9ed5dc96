// What a person's correction of an extraction teaches, as rules that carry over to the next
// similar message of the same client: a relabelled intent, items that were wrongly found
// (recognised again by the shape of the sentence they sit in), names that were missed, and
// currencies that were misread. Stored in memory as the text of a `correction` record.
import type { EventValue, Extraction, Intent } from '../sdk/ports.ts';
import { sentencesOf } from '../../extraction/text/sentences.ts';
import { currencyExponent } from '../../lib/money/money.ts';

type ListCategory = 'actionItems' | 'dates' | 'amounts' | 'people' | 'organizations';
const categories: ListCategory[] = ['actionItems', 'dates', 'amounts', 'people', 'organizations'];
const singular: Record<ListCategory, string> = {
  actionItems: 'action item',
  dates: 'date',
  amounts: 'amount',
  people: 'person',
  organizations: 'organization',
};

export interface CorrectionRules {
  v: 1;
  node: 'extract';
  decision: 'edited' | 'rejected';
  /** The machine's label, and the person's (the same when only items were corrected). */
  intentBefore: Intent;
  intentAfter?: Intent;
  /** Items found that should not have been: their text and their sentence with digits masked. */
  remove: { category: ListCategory; text: string; pattern: string }[];
  /** Names the machine missed. */
  add: { category: 'people' | 'organizations'; name: string }[];
  currency: { text: string; pattern: string; from: string; to: string }[];
}

export interface LearnedCorrection {
  /** The memory record holding the correction. */
  id: string;
  similarity: number;
  rules: CorrectionRules;
  reviewer?: string;
}

const RULES_PREFIX = 'correction-rules: ';

/** Subject and body as one text: what is embedded and compared. */
export function messageText(event: EventValue): string {
  return `Subject: ${event.payload.subject ?? ''}\n${(event.payload.text ?? '').slice(0, 4000)}`.trim();
}

/** Digits masked, case and spacing normalised: "Stock value of 4,200 EUR." → "stock value of #,# eur." */
export function mask(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/** The masked sentence of `text` that holds `needle`, or '' when none does. */
export function patternOf(text: string, needle: string): string {
  const found = sentencesOf(text).find((sentence) => sentence.toLowerCase().includes(needle.toLowerCase()));
  return found ? mask(found) : '';
}

function itemText(category: ListCategory, item: unknown): string {
  const value = item as { text?: string; name?: string };
  return (category === 'people' || category === 'organizations' ? value.name : value.text) ?? '';
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Rules from what the machine proposed and what the person approved instead (nothing, when rejected). */
export function deriveCorrection(
  event: EventValue,
  before: Extraction,
  after: Extraction | undefined,
): CorrectionRules {
  const text = messageText(event);
  const rules: CorrectionRules = {
    v: 1,
    node: 'extract',
    decision: after ? 'edited' : 'rejected',
    intentBefore: before.intent.label,
    remove: [],
    add: [],
    currency: [],
  };
  if (!after) return rules;
  rules.intentAfter = after.intent.label;
  for (const category of categories) {
    const kept = (after[category] as unknown[]).map((item) => itemText(category, item));
    for (const item of before[category] as unknown[]) {
      const found = itemText(category, item);
      if (found && !kept.some((k) => same(k, found)))
        rules.remove.push({ category, text: found, pattern: patternOf(text, found) });
    }
  }
  for (const category of ['people', 'organizations'] as const) {
    for (const item of after[category]) {
      if (!before[category].some((b) => same(b.name, item.name))) rules.add.push({ category, name: item.name });
    }
  }
  for (const amount of after.amounts) {
    const was = before.amounts.find((b) => same(b.text, amount.text));
    if (was && was.currency !== amount.currency)
      rules.currency.push({
        text: amount.text,
        pattern: patternOf(text, amount.text),
        from: was.currency,
        to: amount.currency,
      });
  }
  return rules;
}

export function describeCorrection(rules: CorrectionRules): string {
  if (rules.decision === 'rejected') return `the extraction was rejected (intent was ${rules.intentBefore})`;
  const parts: string[] = [];
  if (rules.intentAfter && rules.intentAfter !== rules.intentBefore)
    parts.push(`intent ${rules.intentBefore} → ${rules.intentAfter}`);
  for (const removed of rules.remove) parts.push(`removed ${singular[removed.category]} "${removed.text}"`);
  for (const added of rules.add) parts.push(`added ${singular[added.category]} "${added.name}"`);
  for (const changed of rules.currency) parts.push(`"${changed.text}" is ${changed.to}, not ${changed.from}`);
  return parts.length > 0 ? parts.join('; ') : 'approved as corrected, no rule to carry over';
}

/** The memory record's text: a sentence for people, the message for similarity, the rules for machines. */
export function correctionText(event: EventValue, rules: CorrectionRules): string {
  const sender = [event.actor.name, event.actor.address ? `<${event.actor.address}>` : ''].filter(Boolean).join(' ');
  return [
    `Correction of an extraction, ${event.source.kind} from ${sender || 'unknown sender'}: ${describeCorrection(rules)}.`,
    messageText(event).slice(0, 2000),
    `${RULES_PREFIX}${JSON.stringify(rules)}`,
  ].join('\n');
}

/** The rules and the message of a stored correction; undefined for other corrections. */
export function parseCorrection(text: string): { rules: CorrectionRules; message: string } | undefined {
  const lines = text.split('\n');
  const last = lines.at(-1) ?? '';
  if (!last.startsWith(RULES_PREFIX)) return undefined;
  try {
    const rules = JSON.parse(last.slice(RULES_PREFIX.length)) as CorrectionRules;
    if (rules.v !== 1 || rules.node !== 'extract' || !Array.isArray(rules.remove)) return undefined;
    return { rules, message: lines.slice(1, -1).join('\n') };
  } catch {
    return undefined;
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Same client (the caller's filter) and same intent: the machine's label is the one corrected, or its correction. */
function appliesTo(rules: CorrectionRules, label: Intent): boolean {
  return rules.decision === 'edited' && (rules.intentBefore === label || rules.intentAfter === label);
}

/**
 * Applies the nearest corrections (best first) to a local extraction. Each change is named in
 * the notes with the correction it came from, so the ledger says why the output differs.
 */
export function applyCorrections(
  extraction: Extraction,
  event: EventValue,
  corrections: LearnedCorrection[],
): { extraction: Extraction; notes: string[] } {
  const notes: string[] = [];
  const text = messageText(event);
  const lower = text.toLowerCase();
  const result: Extraction = structuredClone(extraction);
  const originalLabel = extraction.intent.label;
  for (const correction of corrections) {
    const { rules, similarity, id } = correction;
    if (!appliesTo(rules, originalLabel)) continue;
    const from = `correction ${id} (similarity ${similarity.toFixed(2)})`;
    const trust = Math.min(0.95, round(similarity));
    if (rules.intentAfter && result.intent.label === rules.intentBefore && rules.intentAfter !== rules.intentBefore) {
      notes.push(`${from}: intent ${result.intent.label} → ${rules.intentAfter}`);
      result.intent = { label: rules.intentAfter, confidence: Math.max(trust, result.intent.confidence) };
    } else if (rules.intentAfter === result.intent.label && trust > result.intent.confidence) {
      notes.push(`${from}: intent ${result.intent.label} confirmed, confidence ${result.intent.confidence} → ${trust}`);
      result.intent = { ...result.intent, confidence: trust };
    }
    for (const removed of rules.remove) {
      const list = result[removed.category] as unknown[];
      const kept = list.filter((item) => {
        const found = itemText(removed.category, item);
        const named = removed.category === 'people' || removed.category === 'organizations';
        const hit = named
          ? same(found, removed.text)
          : same(found, removed.text) ||
            (mask(found) === mask(removed.text) &&
              removed.pattern !== '' &&
              patternOf(text, found) === removed.pattern);
        if (hit) notes.push(`${from}: removed ${singular[removed.category]} "${found}"`);
        return !hit;
      });
      (result[removed.category] as unknown[]) = kept;
    }
    for (const added of rules.add) {
      const present = result[added.category].some((item) => same(item.name, added.name));
      if (present || !lower.includes(added.name.toLowerCase())) continue;
      result[added.category].push({ name: added.name, confidence: trust });
      notes.push(`${from}: added ${singular[added.category]} "${added.name}"`);
    }
    for (const change of rules.currency) {
      for (const amount of result.amounts) {
        const fits =
          amount.currency === change.from &&
          mask(amount.text) === mask(change.text) &&
          patternOf(text, amount.text) === change.pattern &&
          currencyExponent(change.from) === currencyExponent(change.to);
        if (!fits) continue;
        amount.currency = change.to;
        notes.push(`${from}: "${amount.text}" read as ${change.to}`);
      }
    }
  }
  if (notes.length === 0) return { extraction, notes };
  const actions = result.actionItems;
  const actionConfidence = actions.length > 0 ? actions.reduce((sum, a) => sum + a.confidence, 0) / actions.length : 1;
  result.confidence = round(Math.min(result.intent.confidence, actionConfidence));
  return { extraction: result, notes };
}
