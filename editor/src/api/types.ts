// Shapes of the HTTP API (docs/API.md), all taken from where the server defines them: the JSON
// Schemas (schemas/, server/schemas/) and the server's own types. Nothing is written twice here;
// what the editor adds is only how it names a combination.
import type { FromSchema } from 'json-schema-to-ts';
import type { AgentWithSpend } from '../../../control/agents/registry.ts';
import type { CanaryReport, CanaryRun, CanarySummary } from '../../../control/canary/reports.ts';
import type { NodeObservation, NodeStats } from '../../../control/canary/compare.ts';
import type { Proposal } from '../../../control/learning/advisor.ts';
import type { Decision as PolicyDecision, NodePolicyMetrics } from '../../../control/learning/metrics.ts';
import type { TriageCandidate } from '../../../control/router/evaluate.ts';
import type { Routing } from '../../../control/router/routings.ts';
import type { StoredRuleSet } from '../../../control/router/rule-sets.ts';
import type { RuleSuggestion } from '../../../control/router/suggestions.ts';
import type { TriageResolution } from '../../../control/router/triage.ts';
import type { AgentBudget } from '../../../control/schemas/agent.ts';
import type { CanarySlice } from '../../../control/schemas/canary.ts';
import type { RoutingRule, RuleSetBody } from '../../../control/schemas/routing.ts';
import type { RunPolicy } from '../../../control/schemas/run-policy.ts';
import type { NodeDeclaration } from '../../../nodes/sdk/define-node.ts';
import type { LedgerEntry } from '../../../schemas/ledger-entry.ts';
import type { Client } from '../../../store/clients.ts';
import type { ReviewTask } from '../../../schemas/review-task.ts';
import type { WorkflowGraph, workflowGraphSchema } from '../../../schemas/workflow-graph.ts';
import type { MetricsWeek } from '../../../server/lib/metrics.ts';
import type { RunState, RunSummary } from '../../../server/lib/runs.ts';
import type { Template as TemplateSummary } from '../../../server/lib/templates.ts';
import type { exportDocument, startRunBody } from '../../../server/schemas/workflows.ts';
import type { HealthReport as FullHealthReport, ServiceHealth } from '../../../services/health.ts';
import type { ChildStatus as SupervisedProcess } from '../../../services/supervisor-status.ts';
import type { StoredWorkflow as Workflow, VersionSummary, WorkflowSummary } from '../../../store/workflows.ts';
import type { Ledger } from '../../../temporal/ledger.ts';
import type { NodeDiff } from '../../../temporal/rerun.ts';
import type { NodeState, RoutingDecision, RunStatus, StartDecision } from '../../../temporal/workflows/run-types.ts';
import type { GraphError, GraphWarning, ValidationResult as ValidationReply } from '../../../workflows/validate.ts';

export type {
  AgentBudget,
  AgentWithSpend,
  CanaryReport,
  CanaryRun,
  CanarySlice,
  CanarySummary,
  NodeObservation,
  NodePolicyMetrics,
  PolicyDecision,
  Client,
  NodeStats,
  Proposal,
  Routing,
  RoutingDecision,
  RoutingRule,
  RuleSetBody,
  RuleSuggestion,
  RunPolicy,
  StartDecision,
  StoredRuleSet,
  TriageCandidate,
  TriageResolution,
  GraphError,
  GraphWarning,
  Ledger,
  LedgerEntry,
  NodeDiff,
  NodeState,
  ReviewTask,
  RunStatus,
  WorkflowGraph,
  MetricsWeek,
  RunState,
  RunSummary,
  ServiceHealth,
  SupervisedProcess,
  TemplateSummary,
  ValidationReply,
  VersionSummary,
  Workflow,
  WorkflowSummary,
};

/** Without a token the server sends `{ ok }` only; `services` and `processes` need one. */
export type HealthReport = Pick<FullHealthReport, 'ok'> & Partial<Omit<FullHealthReport, 'ok'>>;

/** A node type as the palette receives it: the declaration plus where it came from. */
export type NodeType = NodeDeclaration & { origin?: string };

/** POST /workflows/:id/publish: the version it made (or found), and whether it was new. */
export type PublishReply = Pick<VersionSummary, 'version' | 'planHash' | 'publishedAt'> & { created: boolean };

/** GET /workflows/:id/export, and what import takes (its graph is checked by the server). */
export type ExportDocument = FromSchema<typeof exportDocument, { references: [typeof workflowGraphSchema] }>;

/** POST /workflows/:id/runs. */
export type RunInputBody = FromSchema<typeof startRunBody>;
