import { assertValid } from '../../schemas/ajv.ts';
import { isUniqueViolation, type Db, type Queryable } from '../../store/db.ts';
import { ControlError } from '../deps.ts';
import { ruleSetSchema, type RuleSetBody } from '../schemas/routing.ts';
import { mappingError } from './input-mapping.ts';

export type RuleSetStatus = 'draft' | 'active' | 'retired';

export interface StoredRuleSet extends RuleSetBody {
  version: number;
  status: RuleSetStatus;
  createdBy: string;
  createdAt: string;
  activatedAt?: string;
  activatedByReport?: string;
}

interface RuleSetRow {
  version: number;
  status: RuleSetStatus;
  rules: RuleSetBody['rules'];
  default_route: RuleSetBody['default'];
  note: string;
  created_by: string;
  created_at: Date;
  activated_at: Date | null;
  activated_by_report: string | null;
}

/** With no active rule set every event goes to triage: nothing is routed by a guess. */
export const emptyRuleSet: StoredRuleSet = {
  version: 0,
  status: 'active',
  rules: [],
  default: { triage: true },
  createdBy: 'system',
  createdAt: new Date(0).toISOString(),
};

function toRuleSet(row: RuleSetRow): StoredRuleSet {
  return {
    version: row.version,
    status: row.status,
    rules: row.rules,
    default: row.default_route,
    ...(row.note ? { note: row.note } : {}),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    ...(row.activated_at ? { activatedAt: row.activated_at.toISOString() } : {}),
    ...(row.activated_by_report ? { activatedByReport: row.activated_by_report } : {}),
  };
}

/** Schema, unique rule ids, parseable mappings, and pinned versions that exist. */
export async function checkRuleSet(db: Queryable, body: RuleSetBody): Promise<void> {
  assertValid<RuleSetBody>(ruleSetSchema, body, 'rule set');
  const ids = new Set<string>();
  const targets = [...body.rules, ...('triage' in body.default ? [] : [{ ...body.default, id: 'default' }])];
  for (const [index, rule] of body.rules.entries()) {
    if (ids.has(rule.id)) throw new ControlError(`/rules/${index}/id: rule id ${rule.id} is used twice`, 400);
    ids.add(rule.id);
  }
  for (const target of targets) {
    const problem = target.inputMapping ? mappingError(target.inputMapping) : undefined;
    if (problem) throw new ControlError(`rule ${target.id}: the input mapping does not parse: ${problem}`, 400);
    const { rowCount } = await db.query('select 1 from workflow_versions where workflow_id = $1 and version = $2', [
      target.workflowId,
      target.version,
    ]);
    if (!rowCount)
      throw new ControlError(`rule ${target.id}: workflow ${target.workflowId} has no version ${target.version}`, 400);
  }
}

/** Stores a rule set as the next version, as a draft: it goes live only by promoting a canary report. */
export async function saveRuleSet(
  db: Db,
  body: RuleSetBody,
  { createdBy, note }: { createdBy: string; note?: string },
): Promise<StoredRuleSet> {
  await checkRuleSet(db, body);
  for (let attempt = 0; ; attempt++) {
    try {
      const { rows } = await db.query<RuleSetRow>(
        `insert into control_rule_sets (version, status, rules, default_route, note, created_by)
         select coalesce(max(version), 0) + 1, 'draft', $1, $2, $3, $4 from control_rule_sets
         returning *`,
        [JSON.stringify(body.rules), JSON.stringify(body.default), note ?? body.note ?? '', createdBy],
      );
      return toRuleSet(rows[0] as RuleSetRow);
    } catch (error) {
      // Two drafts saved at once took the same number: the loser takes the next.
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

export async function getRuleSet(db: Queryable, version: number): Promise<StoredRuleSet | undefined> {
  const { rows } = await db.query<RuleSetRow>('select * from control_rule_sets where version = $1', [version]);
  return rows[0] && toRuleSet(rows[0]);
}

/** The live rule set, or the empty one (everything to triage) before any was promoted. */
export async function activeRuleSet(db: Queryable): Promise<StoredRuleSet> {
  const { rows } = await db.query<RuleSetRow>(`select * from control_rule_sets where status = 'active'`);
  return rows[0] ? toRuleSet(rows[0]) : emptyRuleSet;
}

export async function listRuleSets(db: Queryable, { limit = 50 }: { limit?: number } = {}): Promise<StoredRuleSet[]> {
  const { rows } = await db.query<RuleSetRow>('select * from control_rule_sets order by version desc limit $1', [
    Math.min(limit, 500),
  ]);
  return rows.map(toRuleSet);
}

/** Makes a draft the live rule set. Only promote() calls this, with the report that justifies it. */
export async function activateRuleSet(tx: Queryable, version: number, reportId: string): Promise<void> {
  const { rows } = await tx.query<{ status: RuleSetStatus }>(
    'select status from control_rule_sets where version = $1 for update',
    [version],
  );
  const status = rows[0]?.status;
  if (!status) throw new ControlError(`rule set ${version} does not exist`, 404);
  if (status !== 'draft') throw new ControlError(`rule set ${version} is ${status}, not a draft`);
  await tx.query(`update control_rule_sets set status = 'retired' where status = 'active'`);
  await tx.query(
    `update control_rule_sets set status = 'active', activated_at = now(), activated_by_report = $2 where version = $1`,
    [version, reportId],
  );
}

/** The live rules with every pin of `workflowId` moved to `version`: what promoting a workflow version means. */
export function repinned(body: RuleSetBody, workflowId: string, version: number): RuleSetBody {
  const rules = body.rules.map((rule) => (rule.workflowId === workflowId ? { ...rule, version } : rule));
  const fallback =
    !('triage' in body.default) && body.default.workflowId === workflowId ? { ...body.default, version } : body.default;
  return { rules, default: fallback };
}
