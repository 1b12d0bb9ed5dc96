// The control plane's public functions: what the API routes, the CLI and the editor call.
// Each takes ControlDeps (control/deps.ts) or the part of it it needs.
export { ControlError, type ControlDeps } from './deps.ts';

// Intent router: rules as data, routing, triage, suggested rules.
export { routeEvent, type RouteResult } from './router/route-event.ts';
export { resolveTriage, type TriageChoice, type TriageResolution } from './router/triage.ts';
export { activeRuleSet, getRuleSet, listRuleSets, saveRuleSet, type StoredRuleSet } from './router/rule-sets.ts';
export { getRouting, listRoutings, type Routing } from './router/routings.ts';
export { acceptSuggestion, dismissSuggestion, listSuggestions, type RuleSuggestion } from './router/suggestions.ts';
export { ruleSetSchema, routingRuleSchema, type RoutingRule, type RuleSetBody } from './schemas/routing.ts';

// Agent registry and budgets.
export { ensureSeedAgents, getAgent, listAgents, updateAgent, type AgentWithSpend } from './agents/registry.ts';
export { BudgetedModelRouter } from './agents/budgeted-router.ts';
export { monthSpend, reconcileSpend, type SpendCheck } from './agents/spend.ts';
export { agentSchema, type Agent } from './schemas/agent.ts';

// Foreground and background work.
export { getRunPolicy, listRunPolicies, planStart, setRunPolicy } from './policy/run-policy.ts';
export { syncBackgroundSchedule, windowSpec } from './policy/background-schedule.ts';
export { runPolicySchema, type RunPolicy } from './schemas/run-policy.ts';

// Canary and shadow runs.
export { runCanary } from './canary/run-canary.ts';
export { promote, type PromoteOptions } from './canary/promote.ts';
export { getReport, listReports, type CanaryReport } from './canary/reports.ts';
export { canaryRequestSchema, type CanaryRequest } from './schemas/canary.ts';

// Learning from corrections, metrics and the policy advisor.
export { recordCorrection, syncCorrections } from './learning/corrections.ts';
export { nodeMetrics, type NodePolicyMetrics } from './learning/metrics.ts';
export { retrainIntentModel, type RetrainOptions } from './learning/retrain.ts';
export { intentExamplesFromCorrections } from './learning/intent-examples.ts';
export {
  canaryProposal,
  dismissProposal,
  listProposals,
  proposePolicyChanges,
  type Proposal,
} from './learning/advisor.ts';
