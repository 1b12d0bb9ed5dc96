// Packs retrieved memory into the prompt's token budget. Records are ranked by relevance and
// recency; decision-critical facts (amounts, dates, commitments, the latest approved version of
// a record) are kept verbatim whatever the budget; the rest is included whole while it fits,
// else summarised (extractively: its critical sentences, or its lead sentence), else left out.
// What happened to each record is reported, so the ledger can say what the model saw.
import { estimateTokens } from '../../models/cost.ts';
import { mentionsDay, mentionsMoney } from '../../extraction/facts.ts';
import { sentencesOf } from '../../extraction/text/sentences.ts';
import type { Retrieval } from '../sdk/ports.ts';

type Scored = Retrieval['records'][number];

export type PackStatus = 'included' | 'summarised' | 'left-out';

export interface PackedRecord {
  id: string;
  status: PackStatus;
  /** Why it was summarised or left out, or why it was kept whole. */
  reason: string;
  tokens: number;
}

export interface PackedContext {
  /** Numbered records with their sources, best first, as the prompt shows them. */
  text: string;
  /** The records that appear in `text` (whole or summarised), best first. */
  used: Scored[];
  records: PackedRecord[];
  budgetTokens: number;
  tokens: number;
}

const RECENCY_HALF_LIFE_DAYS = 30;
const LEAD_MAX_CHARS = 160;
const commitment =
  /\b(will|shall|agreed?|agreement|commit(?:s|ted|ment)?|promised?|guarantee[sd]?|deadline|due|must|signed|approved|confirmed)\b/i;

const isApproved = (record: Scored['record']) =>
  record.kind === 'decision' || record.kind === 'correction' || Boolean(record.provenance.reviewer);

/** Sentences that state an amount, a date or a commitment: these are never cut. */
export function criticalSentences(text: string, createdAt: string): string[] {
  const reference = { instant: new Date(createdAt), offsetMinutes: 0 };
  return sentencesOf(text).filter(
    (sentence) => commitment.test(sentence) || mentionsMoney(sentence) || mentionsDay(sentence, reference.instant),
  );
}

function sourceLine(record: Scored['record']): string {
  return `(${record.kind} from ${record.source.uri}@${record.source.version}, confidence ${record.confidence})`;
}

const render = (index: number, body: string, record: Scored['record']) =>
  `[${index}] ${body}\n    ${sourceLine(record)}`;
const cost = (body: string, record: Scored['record']) => estimateTokens(render(99, body, record)) + 1;

/** For each source, the record of its latest version (a person's approved one first); older versions are superseded. */
function supersededBy(records: Scored[]): Map<string, string> {
  const winners = new Map<string, Scored['record']>();
  for (const { record } of records) {
    const best = winners.get(record.source.uri);
    const newer =
      !best ||
      (isApproved(record) && !isApproved(best)) ||
      (isApproved(record) === isApproved(best) && record.createdAt > best.createdAt);
    if (newer) winners.set(record.source.uri, record);
  }
  const out = new Map<string, string>();
  for (const { record } of records) {
    const winner = winners.get(record.source.uri)!;
    // Chunks of one version are parts of one record, not versions of it.
    if (winner.id !== record.id && winner.source.version !== record.source.version) out.set(record.id, winner.id);
  }
  return out;
}

/** Relevance (the search score, scaled to the best) weighs three times recency (half-life 30 days). */
export function rank(records: Scored[]): Scored[] {
  const top = Math.max(0, ...records.map((r) => r.score));
  const newest = Math.max(...records.map((r) => Date.parse(r.record.createdAt)));
  const weight = (r: Scored) => {
    const relevance = top > 0 ? Math.max(0, r.score) / top : 1;
    const ageDays = (newest - Date.parse(r.record.createdAt)) / 86_400_000;
    return 0.75 * relevance + 0.25 * Math.pow(0.5, ageDays / RECENCY_HALF_LIFE_DAYS);
  };
  return records
    .map((record, index) => ({ record, index, weight: weight(record) }))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((entry) => entry.record);
}

interface Plan {
  scored: Scored;
  critical: string[];
  approvedLatest: boolean;
  status: PackStatus;
  body: string;
  reason: string;
}

export function packContext(records: Scored[], budgetTokens: number): PackedContext {
  const superseded = supersededBy(records);
  const plans: Plan[] = rank(records).map((scored) => {
    const { record } = scored;
    const critical = criticalSentences(record.text, record.createdAt);
    const approvedLatest = isApproved(record) && !superseded.has(record.id);
    if (superseded.has(record.id))
      return {
        scored,
        critical,
        approvedLatest,
        status: 'left-out',
        body: '',
        reason: `superseded by ${superseded.get(record.id)}`,
      };
    if (approvedLatest)
      return {
        scored,
        critical,
        approvedLatest,
        status: 'included',
        body: record.text,
        reason: 'latest approved version, kept whole',
      };
    if (critical.length > 0)
      return {
        scored,
        critical,
        approvedLatest,
        status: 'summarised',
        body: critical.join(' … '),
        reason: 'its amounts, dates and commitments',
      };
    return { scored, critical, approvedLatest, status: 'left-out', body: '', reason: 'no room in the budget' };
  });
  const spent = () => plans.reduce((sum, p) => sum + (p.status === 'left-out' ? 0 : cost(p.body, p.scored.record)), 0);

  // Whole records, best first, while they fit beside what must stay.
  for (const plan of plans) {
    if (plan.status === 'included' || superseded.has(plan.scored.record.id)) continue;
    const { record } = plan.scored;
    const current = plan.status === 'left-out' ? 0 : cost(plan.body, record);
    if (spent() - current + cost(record.text, record) <= budgetTokens)
      Object.assign(plan, { status: 'included', body: record.text, reason: 'fits the budget' });
  }
  // The rest by their lead sentence, while that fits.
  for (const plan of plans) {
    if (plan.status !== 'left-out' || superseded.has(plan.scored.record.id)) continue;
    const lead = sentencesOf(plan.scored.record.text)[0] ?? '';
    const body = lead.length > LEAD_MAX_CHARS ? `${lead.slice(0, LEAD_MAX_CHARS - 1)}…` : lead;
    if (body && spent() + cost(body, plan.scored.record) <= budgetTokens)
      Object.assign(plan, { status: 'summarised', body, reason: 'lead sentence; the whole record did not fit' });
  }

  const shown = plans.filter((p) => p.status !== 'left-out');
  const text = shown
    .map((p, index) => render(index + 1, p.status === 'summarised' ? `(summary) ${p.body}` : p.body, p.scored.record))
    .join('\n');
  return {
    text,
    used: shown.map((p) => p.scored),
    records: plans.map((p) => ({
      id: p.scored.record.id,
      status: p.status,
      reason: p.reason,
      tokens: p.status === 'left-out' ? 0 : cost(p.body, p.scored.record),
    })),
    budgetTokens,
    tokens: estimateTokens(text),
  };
}

/** One line per status for the ledger notes. */
export function packingNotes(packed: PackedContext): string[] {
  if (packed.records.length === 0) return [];
  const of = (status: PackStatus) => packed.records.filter((r) => r.status === status);
  const list = (records: PackedRecord[], withReason: boolean) =>
    records.map((r) => (withReason ? `${r.id} (${r.reason})` : r.id)).join(', ');
  const notes = [`context: ${packed.tokens} of ${packed.budgetTokens} tokens for ${packed.records.length} records`];
  if (of('included').length > 0) notes.push(`context included: ${list(of('included'), false)}`);
  if (of('summarised').length > 0) notes.push(`context summarised: ${list(of('summarised'), true)}`);
  if (of('left-out').length > 0) notes.push(`context left out: ${list(of('left-out'), true)}`);
  if (packed.tokens > packed.budgetTokens)
    notes.push(`context: ${packed.tokens - packed.budgetTokens} tokens over budget to keep decision-critical facts`);
  return notes;
}
