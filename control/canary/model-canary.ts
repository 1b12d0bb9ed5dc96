// The canary of an extraction model retrained from corrections: past runs' extract steps are read
// again from their recorded input (the event) with the candidate model and with the live one,
// and both are held against what a person decided (their approval, or their stored correction).
// Nothing runs as a workflow and nothing outside happens; the report is what can be promoted.
import type { Client } from '@temporalio/client';
import { extractEmail } from '../../extraction/extract.ts';
import { emailInputOfEvent } from '../../extraction/message/email-input.ts';
import type { Models } from '../../extraction/models/load.ts';
import { resolveModels } from '../../nodes/extract/intent-model.ts';
import { knownClientsOf } from '../../nodes/extract/known-clients.ts';
import { portIntent } from '../../nodes/extract/to-port.ts';
import type { EventValue } from '../../nodes/sdk/ports.ts';
import type { LedgerEntry } from '../../schemas/ledger-entry.ts';
import { getModel, markCanaried } from '../../store/extraction-models.ts';
import { fetchDecodedHistory } from '../../temporal/codec/history.ts';
import { buildLedger, runInputOf, type Ledger } from '../../temporal/ledger.ts';
import { searchKeys } from '../../temporal/runs.ts';
import { ControlError, type ControlDeps } from '../deps.ts';
import type { CanaryCandidate, CanarySlice } from '../schemas/canary.ts';
import { aggregate, type NodeObservation } from './compare.ts';
import { completeReport, type CanaryRun, type ModelCanaryFigures } from './reports.ts';
import { summarize } from './summary.ts';

type ModelCandidate = Extract<CanaryCandidate, { kind: 'extraction-model' }>;

const quoted = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

interface PastExtract {
  runId: string;
  entry: LedgerEntry;
  event: EventValue;
  referenceDate?: unknown;
}

/** The extract steps of past live runs (every workflow, or one), newest runs first up to the limit. */
async function pastExtracts(client: Client, slice: CanarySlice, workflowId?: string): Promise<PastExtract[]> {
  const conditions = [`ExecutionStatus = 'Completed'`];
  if (workflowId) conditions.push(`${searchKeys.workflow.name} = ${quoted(workflowId)}`);
  if (slice.from) conditions.push(`StartTime >= ${quoted(slice.from)}`);
  if (slice.to) conditions.push(`StartTime < ${quoted(slice.to)}`);
  const limit = slice.limit ?? 50;
  const found: PastExtract[] = [];
  let runs = 0;
  let scanned = 0;
  for await (const execution of client.workflow.list({ query: conditions.join(' AND ') })) {
    // Every workflow's runs may be listed: stop reading histories long before the whole ledger.
    if (++scanned > limit * 20) break;
    const history = await fetchDecodedHistory(client, execution.workflowId, execution.runId);
    let ledger: Ledger;
    try {
      const input = runInputOf(history);
      if ((input.mode ?? 'live') !== 'live') continue;
      const clientId = (input.trigger.event as { clientId?: unknown } | undefined)?.clientId;
      if (slice.clientId && clientId !== slice.clientId) continue;
      ledger = buildLedger(execution.workflowId, history);
    } catch {
      continue; // not a Trellis run, or its client was forgotten
    }
    const extracts = ledger.entries.filter((entry) => entry.nodeType === 'extract' && entry.status === 'completed');
    for (const entry of extracts) {
      const event = (entry.input as { event?: EventValue } | undefined)?.event;
      if (!event || event.status === 'rejected') continue;
      found.push({
        runId: execution.workflowId,
        entry,
        event,
        referenceDate: (entry.config as { referenceDate?: unknown } | undefined)?.referenceDate,
      });
    }
    if (extracts.length > 0 && ++runs >= limit) break;
  }
  return found.sort((a, b) => a.runId.localeCompare(b.runId) || a.entry.nodeId.localeCompare(b.entry.nodeId));
}

/** What a person said the intent is: their stored correction, or the output they approved or edited. */
function personsIntent(entry: LedgerEntry, corrected: Map<string, string>): string | undefined {
  const approval = entry.approvals.filter((a) => a.decision !== 'expired').at(-1);
  if (!approval || approval.decision === 'rejected') return undefined;
  if (approval.taskId && corrected.has(approval.taskId)) return corrected.get(approval.taskId);
  const output = entry.output as { extraction?: { intent?: { label?: string } } } | undefined;
  return output?.extraction?.intent?.label;
}

function readWith(past: PastExtract, models: Models, known: Awaited<ReturnType<typeof knownClientsOf>>) {
  const event = past.referenceDate === 'receivedAt' ? { ...past.event, occurredAt: past.event.receivedAt } : past.event;
  const result = extractEmail(emailInputOfEvent(event), { knownClients: known, models });
  return { intent: portIntent(result.intent.label), route: result.route };
}

/** Runs the canary of a retrained model and completes report `id`; the model's status becomes `canary`. */
export async function runModelCanary(
  deps: ControlDeps,
  id: string,
  candidate: ModelCandidate,
  slice: CanarySlice,
): Promise<void> {
  const stored = await getModel(deps.db, candidate.modelId);
  if (!stored?.model) throw new ControlError(`extraction model ${candidate.modelId} does not exist`, 404);
  if (stored.status !== 'proposed' && stored.status !== 'canary')
    throw new ControlError(`extraction model ${candidate.modelId} is ${stored.status}`);
  const live = await resolveModels(deps.db);
  const trying: Models = { ...live.models, intent: stored.model };
  const known = await knownClientsOf(deps.db);
  const extracts = await pastExtracts(deps.temporal, slice, candidate.workflowId);
  const tasks = extracts.flatMap((p) => p.entry.approvals.map((a) => a.taskId).filter((t): t is string => !!t));
  const { rows } = await deps.db.query<{ task_id: string; intent_after: string }>(
    `select task_id, intent_after from control_corrections where task_id = any($1) and intent_after is not null`,
    [tasks],
  );
  const corrected = new Map(rows.map((row) => [row.task_id, row.intent_after]));
  const figures: ModelCanaryFigures = {
    modelId: stored.id,
    liveVersion: live.intentVersion,
    compared: 0,
    changed: 0,
    reviewed: 0,
    liveAgrees: 0,
    candidateAgrees: 0,
    fixed: 0,
    broken: 0,
  };
  const observed = extracts.map((past) => {
    const before = readWith(past, live.models, known);
    const after = readWith(past, trying, known);
    const person = personsIntent(past.entry, corrected);
    figures.compared++;
    if (before.intent !== after.intent) figures.changed++;
    const observation: NodeObservation = {
      nodeId: past.entry.nodeId,
      nodeType: 'extract',
      reused: false,
      changed: before.intent !== after.intent,
      askedHumanBefore: past.entry.tier === 'human',
      asksHumanNow: after.route === 'person',
      automatedNow: after.route === 'auto',
      costBeforeUsd: 0,
      costAfterUsd: 0,
      before: { intent: before.intent, route: before.route },
      after: { intent: after.intent, route: after.route },
    };
    if (person !== undefined) {
      figures.reviewed++;
      if (before.intent === person) figures.liveAgrees++;
      if (after.intent === person) figures.candidateAgrees++;
      if (before.intent !== person && after.intent === person) figures.fixed++;
      if (before.intent === person && after.intent !== person) figures.broken++;
      observation.verdict = past.entry.approvals.at(-1)!.decision as NonNullable<NodeObservation['verdict']>;
      if (observation.automatedNow) observation.matchesApproved = after.intent === person;
      observation.note = `a person said ${person}`;
    }
    return { past, observation };
  });
  const nodes = aggregate(observed.map((o) => [o.observation]));
  const runs: CanaryRun[] = observed.map(({ past, observation }) => ({
    pastRunId: past.runId,
    status: 'completed',
    nodes: observation.changed || observation.verdict ? [observation] : [],
  }));
  const summary = summarize(`intent model ${stored.id}`, nodes, runs, { extraction: figures });
  await completeReport(deps.db, id, { summary, nodes, runs });
  await markCanaried(deps.db, stored.id, id);
}
