// The email as the extractor read it, with every value it took highlighted where it was read
// (dates, amounts, the operator's actions, the client), and the parts it set aside (quoted
// history, forward headers, signature, disclaimer, form metadata) shaded: a reviewer checks in
// seconds what was taken from where, and why the step asked them.

interface Span {
  start: number;
  end: number;
}

export interface ExtractionWithEvidence {
  intent?: { label?: string; kind?: string; confidence?: number; reasons?: string[] };
  client?: { name?: string; confidence?: number; evidence?: { source?: string; text?: string; span?: Span }[] };
  dates?: { date?: string; role?: string; text?: string; span?: Span }[];
  amounts?: { value?: string; currency?: string; role?: string; text?: string; span?: Span }[];
  actionItems?: { text?: string; owner?: string; due?: string; span?: Span }[];
  route?: string;
  reasons?: string[];
  confidence?: number;
  message?: { text?: string; segments?: { kind: string; start: number; end: number }[] };
}

type MarkKind = 'date' | 'amount' | 'action' | 'client';

interface Mark extends Span {
  kind: MarkKind;
  title: string;
}

const markLabel: Record<MarkKind, string> = { date: 'Date', amount: 'Amount', action: 'Action', client: 'Client' };
const setAside = new Set(['quoted', 'forward-header', 'signature', 'disclaimer', 'metadata']);

export function hasEvidence(value: unknown): value is ExtractionWithEvidence {
  const message = (value as ExtractionWithEvidence | undefined)?.message;
  return typeof message?.text === 'string';
}

function marksOf(extraction: ExtractionWithEvidence, length: number): Mark[] {
  const marks: Mark[] = [];
  const add = (span: Span | undefined, kind: MarkKind, title: string) => {
    if (span && span.start >= 0 && span.end <= length && span.end > span.start) marks.push({ ...span, kind, title });
  };
  for (const d of extraction.dates ?? []) add(d.span, 'date', `${d.date ?? ''} (${d.role ?? 'date'})`);
  for (const a of extraction.amounts ?? [])
    add(a.span, 'amount', `${a.value ?? ''} ${a.currency ?? ''} (${a.role ?? ''})`);
  for (const a of extraction.actionItems ?? [])
    if (a.owner === 'me') add(a.span, 'action', a.due ? `your action, due ${a.due}` : 'your action');
  for (const e of extraction.client?.evidence ?? [])
    add(e.span, 'client', `client ${extraction.client?.name ?? ''} (${e.source ?? ''})`);
  // Where two overlap (a date inside an action), the shorter one is drawn; the longer one is cut around it.
  return marks.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Text cut at every mark and segment edge; each piece knows its mark and part. */
function pieces(text: string, marks: Mark[], segments: { kind: string; start: number; end: number }[]) {
  const cuts = new Set<number>([0, text.length]);
  for (const m of marks) cuts.add(m.start).add(m.end);
  for (const s of segments) cuts.add(Math.min(s.start, text.length)).add(Math.min(s.end, text.length));
  const edges = [...cuts].sort((a, b) => a - b);
  return edges.slice(0, -1).map((start, i) => {
    const end = edges[i + 1]!;
    const covering = marks.filter((m) => m.start <= start && m.end >= end);
    const mark = covering.sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    const part = segments.find((s) => s.start <= start && s.end >= end)?.kind ?? 'new';
    return { start, end, text: text.slice(start, end), mark, part };
  });
}

export function ExtractionEvidence({ extraction }: { extraction: ExtractionWithEvidence }) {
  const text = extraction.message?.text ?? '';
  const marks = marksOf(extraction, text.length);
  const parts = pieces(text, marks, extraction.message?.segments ?? []);
  const counts = (kind: MarkKind) => marks.filter((m) => m.kind === kind).length;
  return (
    <div className="extraction-evidence">
      <p className="small">
        {extraction.route === 'person' ? 'Asked you because: ' : 'Would pass on its own: '}
        {(extraction.reasons ?? []).join('; ') || '—'}
      </p>
      <p className="evidence-legend small" aria-label="Legend">
        {(Object.keys(markLabel) as MarkKind[]).map((kind) => (
          <span key={kind} className={`evidence-mark evidence-${kind}`}>
            {markLabel[kind]} × {counts(kind)}
          </span>
        ))}
        <span className="evidence-aside">set aside (quoted, signature, footer)</span>
      </p>
      <pre className="event-text evidence-text" aria-label="Email with evidence">
        {parts.map((piece) => {
          const aside = setAside.has(piece.part);
          const body = piece.mark ? (
            <mark
              key={piece.start}
              className={`evidence-mark evidence-${piece.mark.kind}`}
              title={piece.mark.title}
              data-kind={piece.mark.kind}
            >
              {piece.text}
            </mark>
          ) : (
            piece.text
          );
          return aside ? (
            <span key={piece.start} className="evidence-aside" data-part={piece.part} title={piece.part}>
              {body}
            </span>
          ) : (
            <span key={piece.start}>{body}</span>
          );
        })}
      </pre>
      <dl className="evidence-fields small">
        <dt>Intent</dt>
        <dd>
          {extraction.intent?.label}
          {extraction.intent?.kind && extraction.intent.kind !== extraction.intent.label
            ? ` (${extraction.intent.kind})`
            : ''}
          {extraction.intent?.reasons?.length ? ` — ${extraction.intent.reasons.join('; ')}` : ''}
        </dd>
        <dt>Client</dt>
        <dd>{extraction.client?.name ?? 'none'}</dd>
      </dl>
    </div>
  );
}
