// Named fields a template asks for (budget, deadline, needs…), filled from what was extracted.
// Unknown names are looked up as "Name: value" lines in the message.
import type { FoundAction } from './actions.ts';
import type { FoundAmount } from './amounts.ts';
import type { FoundDate } from './dates.ts';
import type { FoundName } from './people.ts';
import type { Sentence } from './nlp.ts';

export interface FieldSources {
  body: string;
  sentences: { sentence: Sentence; dates: FoundDate[]; amounts: FoundAmount[] }[];
  amounts: FoundAmount[];
  actions: FoundAction[];
  people: FoundName[];
  organizations: FoundName[];
  sender?: { name?: string; address?: string };
}

const budgetCue = /\b(budget|pay|fee|grant|thinking|around|up to|rate|price|cost)\b/i;
const deadlineCue = /\b(deadline|due|launch|go live|live|by|before|no later than|latest|needed)\b/i;
const needCue = /\b(need|needs|looking for|seeking|want|would like|'d like|thinking about|build)\b/i;

type FieldValue = string | number | Record<string, unknown> | string[];
type Filler = (sources: FieldSources) => FieldValue | undefined;

const fillers: Record<string, Filler> = {
  budget: ({ sentences, amounts }) => {
    const cued = sentences.find((entry) => entry.amounts.length > 0 && budgetCue.test(entry.sentence.text));
    const amount = cued ? cued.amounts[cued.amounts.length - 1] : amounts[0];
    return amount ? { text: amount.text, amountMinor: amount.amountMinor, currency: amount.currency } : undefined;
  },
  deadline: ({ sentences, actions }) => {
    const cued = sentences.find((entry) => entry.dates.length > 0 && deadlineCue.test(entry.sentence.text));
    return cued?.dates[0]?.day ?? actions.find((action) => action.due)?.due;
  },
  needs: ({ sentences }) => {
    const found = sentences.filter((entry) => needCue.test(entry.sentence.text)).map((entry) => entry.sentence.text);
    return found.length > 0 ? found : undefined;
  },
  email: ({ sender }) => sender?.address,
  name: ({ people, sender }) => sender?.name ?? people[0]?.name,
  company: ({ organizations }) => organizations[0]?.name,
  phone: ({ body }) => /(?:\+\d{1,3}[\s-]?)?\(?\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{2,4}(?:[\s-]\d{2,4})?/.exec(body)?.[0],
};
fillers.organization = fillers.company!;

/** The requested fields that could be filled; the rest are left out (and named in the notes). */
export function fillFields(
  names: readonly string[],
  sources: FieldSources,
): { fields: Record<string, FieldValue>; missing: string[] } {
  const fields: Record<string, FieldValue> = {};
  const missing: string[] = [];
  for (const name of names) {
    const filler = fillers[name.toLowerCase()];
    const labelled = new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[:=]\\s*(.+)$`, 'im').exec(
      sources.body,
    )?.[1];
    const value = filler?.(sources) ?? labelled?.trim();
    if (value === undefined) missing.push(name);
    else fields[name] = value;
  }
  return { fields, missing };
}
