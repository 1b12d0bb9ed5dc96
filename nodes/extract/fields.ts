// Named fields a template asks for (budget, deadline, needs, email, name, company, phone), read
// from what extraction found; any other name is looked up as a "Name: value" line.
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import type { EventValue } from '../sdk/ports.ts';
import { minorUnitsOrUndefined } from '../../lib/money/money.ts';

type FieldValue = string | number | Record<string, unknown> | string[];
type Filler = (result: ExtractionResult, event: EventValue) => FieldValue | undefined;

const needCue =
  /\b(need|needs|looking for|seeking|want|would like|'d like|thinking about|build|brauchen|suchen|besoin|cherchons|necesitamos|buscamos|nodig|zoeken)\b/i;

const contentText = (result: ExtractionResult) =>
  result.message.segments
    .filter((s) => s.kind === 'new' || s.kind === 'forwarded')
    .map((s) => result.message.text.slice(s.start, s.end))
    .join('\n');

const fillers: Record<string, Filler> = {
  budget: (result) => {
    // The largest budget figure ("between $6,000 and $8,500": the ceiling), else the first amount.
    const budgets = result.amounts.filter((a) => a.role === 'budget');
    const amount =
      budgets.length > 0 ? budgets.reduce((a, b) => (Number(b.value) > Number(a.value) ? b : a)) : result.amounts[0];
    if (!amount) return undefined;
    const minor = minorUnitsOrUndefined(amount.value, amount.currency);
    return {
      text: amount.text,
      value: amount.value,
      currency: amount.currency,
      ...(minor === undefined ? {} : { amountMinor: minor }),
    };
  },
  deadline: (result) =>
    (result.dates.find((d) => d.role === 'deadline') ?? result.dates.find((d) => d.role === 'event'))?.date,
  needs: (result) => {
    const found = contentText(result)
      .split(/(?<=[.!?])\s+|\n+/)
      .filter((sentence) => needCue.test(sentence))
      .map((sentence) => sentence.trim());
    return found.length > 0 ? found : undefined;
  },
  email: (_, event) => event.actor.address,
  name: (_, event) => event.actor.name,
  company: (result) => result.client?.name,
  phone: (result) =>
    /(?:\+\d{1,3}[\s-]?)?\(?\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{2,4}(?:[\s-]\d{2,4})?/.exec(result.message.text)?.[0],
};
fillers.organization = fillers.company!;

/** The requested fields that could be filled; the rest are left out and named. */
export function fillFields(
  names: readonly string[],
  result: ExtractionResult,
  event: EventValue,
): { fields: Record<string, FieldValue>; missing: string[] } {
  const fields: Record<string, FieldValue> = {};
  const missing: string[] = [];
  for (const name of names) {
    const labelled = new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[:=]\\s*(.+)$`, 'im').exec(
      result.message.text,
    )?.[1];
    const value = fillers[name.toLowerCase()]?.(result, event) ?? labelled?.trim();
    if (value === undefined) missing.push(name);
    else fields[name] = value;
  }
  return { fields, missing };
}
