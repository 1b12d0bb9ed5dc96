// Reads an email the way a careful assistant would, and says when it is unsure. One function
// for the extract node, `trellis extract` and `POST /api/extract`.
import type { ExtractionResult } from '../schemas/extraction-result.ts';
import { offsetOfIso } from '../schemas/timestamp-offset.ts';
import { distinctAmounts, findAmounts } from './amounts/find-amounts.ts';
import { currencyContext } from './amounts/currencies.ts';
import { findClient, type KnownClient } from './client/find-client.ts';
import { domainOfAddress, isFreeMail, isRelay } from './client/domains.ts';
import { collectDates, type DateFindings } from './dates/collect.ts';
import { classifyIntent, decidedByHeaders, priorModel } from './intent/classify.ts';
import type { IntentEvidence } from './intent/features.ts';
import { machineKind } from './intent/machine-mail.ts';
import { phishingSignals } from './intent/phishing.ts';
import type { LinearModel } from './learn/linear-model.ts';
import { bodyOf } from './message/body.ts';
import type { EmailInput } from './message/email-input.ts';
import { contentRuns, kindAt, structureOf } from './message/structure.ts';
import { findActions, markListItems, type ActionCandidate } from './actions/find-actions.ts';
import { assess, type Assessment, type Calibration } from './confidence/assess.ts';
import { languageOf, monthFirst } from './text/locale.ts';
import { sentencesIn, type Sentence } from './text/sentences.ts';
import { parseIsoDay } from './dates/calendar.ts';

export const EXTRACTOR_VERSION = 'trellis-extract@2';

export interface ExtractOptions {
  knownClients?: KnownClient[];
  /** The trained models; the shipped ones unless a canary is trying others. */
  models?: { intent?: LinearModel; calibration?: Calibration };
}

/** Everything extract found, before confidence: what bench and training look at. */
export interface Findings {
  result: Omit<ExtractionResult, 'confidence' | 'route' | 'reasons'>;
  assessment: Assessment;
  /** What the intent model saw, for training it. */
  intentFeatures: Record<string, number>;
  /** What the intent features are computed from: lets training try features without re-reading mail. */
  intentEvidence: IntentEvidence;
  /** The headers decided the intent (machine mail): not an example for the model. */
  intentByHeaders: boolean;
  /** Every date read, taken or set aside with its reason: for benches and error analysis. */
  dates: DateFindings;
}

const formLine = /^[ \t]*[\p{L}][\p{L} ()/-]{1,30}:[ \t]*\S/gmu;

export function extractFindings(input: EmailInput, options: ExtractOptions = {}): Findings {
  const body = bodyOf(input);
  const structure = structureOf(body.text, input.subject);
  const runs = contentRuns(structure);
  const content = runs.map((run) => structure.text.slice(run.start, run.end)).join('\n');
  const language = languageOf(`${input.subject}\n${content}`);
  const offset = offsetOfIso(input.sentAt) ?? 0;
  const sender = isRelay(input.from?.address) ? (input.replyTo[0] ?? input.from) : input.from;
  const ref = { day: parseIsoDay(input.sentAt), instant: new Date(input.sentAt), offsetMinutes: offset };
  const order = monthFirst(language, content, sender?.address, offset);
  const inContent = (index: number) => {
    const kind = kindAt(structure, index);
    return kind === 'new' || kind === 'forwarded';
  };
  const sentences: Sentence[] = runs.flatMap((run) => sentencesIn(structure.text, run.start, run.end));

  const machine = machineKind(input);
  const knownDomains = (options.knownClients ?? []).flatMap((client) => [
    ...(client.domains ?? []),
    ...(client.emails ?? []).map((email) => domainOfAddress(email)),
  ]);
  const phishing = phishingSignals(input, body.links, `${input.subject}\n${content}`, knownDomains);

  const dates = collectDates({ structure, sentences, language, ref, monthFirst: order, forward: structure.forward });
  const amounts = distinctAmounts(
    findAmounts(structure.text, { inContent, context: currencyContext(structure.text, sender?.address) }),
  );
  const candidates = findActions(
    markListItems(
      structure.text,
      sentences.map((sentence) => ({
        ...sentence,
        kind: kindAt(structure, sentence.start) === 'forwarded' ? ('forwarded' as const) : ('new' as const),
      })),
      language,
    ),
  );

  const requests = candidates.filter((c) => c.owner === 'me');

  const intentEvidence: IntentEvidence = {
    subject: input.subject,
    content,
    opening: sentences
      .filter((x) => kindAt(structure, x.start) === 'new')
      .slice(0, 3)
      .map((x) => x.text)
      .join('\n'),
    asks: requests.map((c) => c.sentence.text).join('\n'),
    language,
    ...(machine ? { machine } : {}),
    phishingScore: phishing.score,
    phishingReasons: phishing.reasons,
    reply: /^(?:re|aw|antw|sv|vs|ref|rif|r)\s*(?:\[\d+\])?:/i.test(input.subject.trim()),
    // Only where the headers were kept (a parsed message): an event built without them says nothing.
    threadless: Object.keys(input.headers).length > 0 && !input.headers['in-reply-to'] && !input.headers.references,
    forward: /^(?:fwd?|wg|tr|rv|doorst|i)\s*:/i.test(input.subject.trim()) || Boolean(structure.forward),
    quoted: structure.hasQuote,
    form: (content.match(formLine) ?? []).length >= 3,
    relay: isRelay(input.from?.address),
    freeMail: isFreeMail(sender?.address),
    dates: dates.taken.length,
    amounts: amounts.length,
    requests: requests.length,
    questions: sentences.filter((s) => /\?\s*$/.test(s.text)).length,
    requestsWithDate: requests.filter((c) =>
      dates.taken.some((d) => d.start >= c.sentence.start && d.end <= c.sentence.end),
    ).length,
    movedDays:
      dates.ignored.filter((d) => d.reason === 'superseded').length +
      dates.taken.filter((d) => d.signals.includes('moved-to')).length,
    dateRoles: dates.taken.map((d) => d.role),
    timedDates: dates.taken.filter((d) => d.time).length,
  };
  const intent = classifyIntent(intentEvidence, options.models?.intent ?? priorModel());

  // Machine mail, spam and phishing ask the operator for nothing and speak for no client. A spam
  // verdict less likely than not empties nothing: the person who checks it needs the fields.
  const silent =
    (intent.label === 'spam' && intent.probability >= 0.5) ||
    ['auto-reply', 'bounce', 'newsletter', 'notification'].includes(intent.kind);
  // An auto-reply still speaks for its sender's organisation; bounces, lists and spam do not.
  const client =
    silent && intent.kind !== 'auto-reply'
      ? undefined
      : findClient({
          structure,
          ...(input.from ? { from: input.from } : {}),
          replyTo: input.replyTo,
          to: input.to,
          cc: input.cc,
          known: options.knownClients ?? [],
        });

  const dueOf = (sentence: Sentence) =>
    dates.taken.find((d) => d.start >= sentence.start && d.end <= sentence.end && d.role === 'deadline')?.date;
  const spanOf = (s: Sentence) => ({ start: s.start, end: s.end });
  const actions = silent
    ? []
    : requests.map((c) => {
        const due = dueOf(c.sentence);
        return {
          text: c.sentence.text.replace(/\s+/g, ' '),
          owner: 'me' as const,
          ...(due ? { due } : {}),
          confidence: 0.5,
          span: spanOf(c.sentence),
        };
      });
  const commitments = silent
    ? []
    : candidates
        .filter((c): c is ActionCandidate & { owner: 'sender' | 'other' } => c.owner !== 'me')
        .map((c) => {
          const due = dueOf(c.sentence);
          return {
            text: c.sentence.text.replace(/\s+/g, ' '),
            owner: c.owner,
            ...(due ? { due } : {}),
            span: spanOf(c.sentence),
          };
        });

  const result: Findings['result'] = {
    intent: { label: intent.label, kind: intent.kind, confidence: intent.probability, reasons: intent.reasons },
    client: client
      ? {
          name: client.name,
          ...(client.clientId ? { clientId: client.clientId } : {}),
          confidence: 0.5,
          evidence: client.evidence.map((e) => ({
            source: e.source,
            text: e.text,
            ...(e.start !== undefined && e.end !== undefined ? { span: { start: e.start, end: e.end } } : {}),
          })),
        }
      : null,
    // A decline commits to no day: the event it declines is not the operator's deadline.
    dates:
      silent || intent.kind === 'decline'
        ? []
        : dates.taken.map((d) => ({
            date: d.date,
            ...(d.time ? { time: d.time } : {}),
            role: d.role,
            text: d.text,
            confidence: 0.5,
            span: { start: d.start, end: d.end },
          })),
    amounts: amounts.map((a) => ({
      value: a.value,
      currency: a.currency,
      role: a.role,
      text: a.text.trim(),
      confidence: 0.5,
      span: { start: a.start, end: a.end },
    })),
    actions,
    commitments,
    ignoredDates: [
      ...(silent
        ? dates.taken.map((d) => ({
            date: d.date,
            text: d.text,
            reason: `${intent.kind} mail`,
            span: { start: d.start, end: d.end },
          }))
        : []),
      ...dates.ignored.map((d) => ({
        date: d.date,
        text: d.text,
        reason: d.reason,
        span: { start: d.start, end: d.end },
      })),
    ],
    language,
    message: { text: structure.text, sentAt: input.sentAt, segments: structure.segments },
    model: `${EXTRACTOR_VERSION} intent ${(options.models?.intent ?? priorModel()).version}`,
  };
  const assessment = assess(
    { result, intent, client, dates, amounts, candidates, structure, machine, phishing, language, silent },
    options.models?.calibration,
  );
  return {
    result,
    assessment,
    intentFeatures: intent.features,
    intentEvidence,
    dates,
    intentByHeaders: decidedByHeaders({
      ...(machine ? { machine } : {}),
      phishingScore: phishing.score,
      requests: requests.length,
    }),
  };
}

export function extractEmail(input: EmailInput, options: ExtractOptions = {}): ExtractionResult {
  const { result, assessment } = extractFindings(input, options);
  return {
    ...result,
    intent: { ...result.intent, confidence: assessment.fields.intent },
    client: result.client ? { ...result.client, confidence: assessment.fields.client } : null,
    dates: result.dates.map((d) => ({ ...d, confidence: assessment.fields.dates })),
    amounts: result.amounts.map((a) => ({ ...a, confidence: assessment.fields.amounts })),
    actions: result.actions.map((a) => ({ ...a, confidence: assessment.fields.actions })),
    confidence: assessment.confidence,
    route: assessment.route,
    reasons: assessment.reasons,
  };
}
