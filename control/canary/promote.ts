import { getVersion, publishVersion } from '../../store/workflows.ts';
import { ControlError, type ControlDeps } from '../deps.ts';
import { activateRuleSet, activeRuleSet, repinned, saveRuleSet } from '../router/rule-sets.ts';
import { candidatePlan } from './candidate.ts';
import { markPromoted, requireReport, type CanaryReport } from './reports.ts';
import { liveModel, makeLive } from '../../store/extraction-models.ts';
import { loadModels } from '../../extraction/models/load.ts';

export interface PromoteOptions {
  by: string;
  /** Called with a newly published version (the API keeps the workflow's Temporal Schedule in step). */
  onPublished?: (workflowId: string, version: number) => Promise<void>;
}

/** Re-pins the live rules that route to `workflowId`; returns the new live rule set's version, if any changed. */
async function repinLive(deps: ControlDeps, workflowId: string, version: number, reportId: string, by: string) {
  const live = await activeRuleSet(deps.db);
  const body = repinned(live, workflowId, version);
  if (
    JSON.stringify(body.rules) === JSON.stringify(live.rules) &&
    JSON.stringify(body.default) === JSON.stringify(live.default)
  )
    return undefined;
  const draft = await saveRuleSet(deps.db, body, {
    createdBy: by,
    note: `pin ${workflowId} v${version} (canary ${reportId})`,
  });
  await deps.db.transaction((tx) => activateRuleSet(tx, draft.version, reportId));
  return draft.version;
}

/**
 * A retrained extraction model goes live only when its canary read past extract steps again and
 * found it agreeing with people at least as often as the live model on the steps they decided.
 */
async function promoteModel(deps: ControlDeps, report: CanaryReport, modelId: string, by: string) {
  const figures = report.summary?.extraction;
  if (!figures) throw new ControlError(`canary report ${report.id} has no extraction figures`);
  if (figures.compared === 0)
    throw new ControlError(
      `the canary found no past extract step to read again: run it on a slice with past runs before ${modelId} can go live`,
    );
  if (figures.candidateAgrees < figures.liveAgrees)
    throw new ControlError(
      `${modelId} agrees with people on ${figures.candidateAgrees} of ${figures.reviewed} reviewed past steps, the live model on ${figures.liveAgrees}: it cannot go live`,
    );
  const replaced = (await liveModel(deps.db))?.id ?? loadModels().intent?.version ?? 'intent prior';
  if (replaced !== figures.liveVersion)
    throw new ControlError(
      `the live intent model is ${replaced} now, not ${figures.liveVersion} as in this report: run the canary again`,
    );
  if (!(await makeLive(deps.db, modelId, by)))
    throw new ControlError(`extraction model ${modelId} is no longer waiting for its canary (rejected or live)`);
  return { modelId, replaced };
}

/**
 * Makes a candidate live, and only from its canary report: a draft rule set becomes the live one;
 * a workflow version becomes the one the router's rules pin; a node change is published as the
 * next version (refused when the workflow changed since the report) and pinned; a retrained
 * extraction model becomes the one the extract node reads with. The report keeps
 * what was done. A report whose canary runs failed cannot be promoted.
 */
export async function promote(deps: ControlDeps, reportId: string, options: PromoteOptions): Promise<CanaryReport> {
  const report = await requireReport(deps.db, reportId);
  if (report.status !== 'completed')
    throw new ControlError(`only a completed canary report can be promoted; ${reportId} is ${report.status}`);
  if ((report.summary?.canaryFailed ?? 0) > 0)
    throw new ControlError(`${report.summary?.canaryFailed} canary runs failed: the candidate cannot go live`);
  const { candidate } = report;
  let promotion: Record<string, unknown>;
  if (candidate.kind === 'rule-set') {
    await deps.db.transaction((tx) => activateRuleSet(tx, candidate.ruleSetVersion, reportId));
    promotion = { ruleSetVersion: candidate.ruleSetVersion };
  } else if (candidate.kind === 'extraction-model') {
    promotion = await promoteModel(deps, report, candidate.modelId, options.by);
  } else if (candidate.kind === 'version') {
    const ruleSetVersion = await repinLive(deps, candidate.workflowId, candidate.version, reportId, options.by);
    promotion = {
      workflowId: candidate.workflowId,
      version: candidate.version,
      ...(ruleSetVersion ? { ruleSetVersion } : {}),
    };
  } else {
    const built = await candidatePlan(deps, candidate);
    const latest = await getVersion(deps.db, candidate.workflowId);
    if (built.plan.hash !== report.summary?.planHash || latest?.version !== report.summary?.baseVersion)
      throw new ControlError(
        `${candidate.workflowId} changed since this report (v${latest?.version ?? '?'} is the latest now): run the canary again`,
      );
    const published = await publishVersion(deps.db, candidate.workflowId, {
      graph: built.graph,
      plan: built.plan,
      publishedBy: `${options.by} (canary ${reportId})`,
    });
    if (!published) throw new ControlError(`workflow ${candidate.workflowId} is archived`, 404);
    const version = published.version.version;
    if (published.created) await options.onPublished?.(candidate.workflowId, version);
    const ruleSetVersion = await repinLive(deps, candidate.workflowId, version, reportId, options.by);
    promotion = {
      workflowId: candidate.workflowId,
      version,
      planHash: built.plan.hash,
      ...(ruleSetVersion ? { ruleSetVersion } : {}),
    };
  }
  await markPromoted(deps.db, reportId, options.by, promotion);
  await deps.db.query(
    `update control_proposals set status = 'promoted', decided_at = now() where report_id = $1 and status = 'canaried'`,
    [reportId],
  );
  return requireReport(deps.db, reportId);
}
