// Rule evaluation, pure: the first rule whose match fits decides; below its minConfidence the
// event goes to triage with the rules that could have taken it as candidates.
import type { DefaultRoute, RoutingRule, RuleSetBody } from '../schemas/routing.ts';

export interface RoutingFacts {
  intent: string;
  confidence: number;
  sourceKind: string;
  clientId?: string;
  projectId?: string;
}

export interface RouteTarget {
  workflowId: string;
  version: number;
  inputMapping?: string;
}

export interface TriageCandidate {
  workflowId: string;
  version: number;
  ruleId?: string;
  why: string;
}

export type Evaluation =
  | { outcome: 'run'; ruleId?: string; target: RouteTarget; reason: string }
  | { outcome: 'triage'; ruleId?: string; reason: string; candidates: TriageCandidate[] };

/** A rule's match ignoring confidence: every field it names must equal the event's. */
export function matches(rule: RoutingRule, facts: RoutingFacts): boolean {
  return (
    (rule.intent === undefined || rule.intent === facts.intent) &&
    (rule.sourceKind === undefined || rule.sourceKind === facts.sourceKind) &&
    (rule.clientId === undefined || rule.clientId === facts.clientId) &&
    (rule.projectId === undefined || rule.projectId === facts.projectId)
  );
}

function describe(rule: RoutingRule): string {
  const parts = [
    rule.intent ? `intent ${rule.intent}` : 'any intent',
    rule.sourceKind ? `from ${rule.sourceKind}` : '',
    rule.clientId ? `client ${rule.clientId}` : '',
    rule.projectId ? `project ${rule.projectId}` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

function targetOf(route: RoutingRule | Exclude<DefaultRoute, { triage: true }>): RouteTarget {
  return {
    workflowId: route.workflowId,
    version: route.version,
    ...(route.inputMapping ? { inputMapping: route.inputMapping } : {}),
  };
}

/** The workflows a person could pick: rules that match, then rules of the same intent; one per workflow. */
function candidatesFor(rules: RoutingRule[], facts: RoutingFacts, defaultRoute: DefaultRoute): TriageCandidate[] {
  const seen = new Set<string>();
  const out: TriageCandidate[] = [];
  const add = (candidate: TriageCandidate) => {
    if (seen.has(candidate.workflowId)) return;
    seen.add(candidate.workflowId);
    out.push(candidate);
  };
  for (const rule of rules.filter((r) => matches(r, facts)))
    add({ workflowId: rule.workflowId, version: rule.version, ruleId: rule.id, why: `rule ${rule.id} matches` });
  for (const rule of rules.filter((r) => r.intent === facts.intent))
    add({
      workflowId: rule.workflowId,
      version: rule.version,
      ruleId: rule.id,
      why: `rule ${rule.id} handles ${facts.intent}`,
    });
  if (!('triage' in defaultRoute)) add({ ...targetOf(defaultRoute), why: 'the default route' });
  return out;
}

export function evaluateRules(ruleSet: RuleSetBody, facts: RoutingFacts): Evaluation {
  const rule = ruleSet.rules.find((candidate) => matches(candidate, facts));
  const confidence = facts.confidence.toFixed(2);
  if (rule) {
    if (facts.confidence >= rule.minConfidence) {
      return {
        outcome: 'run',
        ruleId: rule.id,
        target: targetOf(rule),
        reason: `rule ${rule.id} (${describe(rule)}): intent ${facts.intent} at ${confidence} ≥ ${rule.minConfidence}`,
      };
    }
    return {
      outcome: 'triage',
      ruleId: rule.id,
      reason: `rule ${rule.id} matches, but intent ${facts.intent} at ${confidence} is below its minConfidence ${rule.minConfidence}`,
      candidates: candidatesFor(ruleSet.rules, facts, ruleSet.default),
    };
  }
  if (!('triage' in ruleSet.default)) {
    return {
      outcome: 'run',
      target: targetOf(ruleSet.default),
      reason: `no rule matches intent ${facts.intent}: default route`,
    };
  }
  return {
    outcome: 'triage',
    reason: `no rule matches intent ${facts.intent} (${confidence})${facts.clientId ? ` from client ${facts.clientId}` : ''}`,
    candidates: candidatesFor(ruleSet.rules, facts, ruleSet.default),
  };
}
