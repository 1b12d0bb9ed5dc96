// Shapes of the HTTP API (docs/API.md). Contract types come from the shared schemas and modules;
// only the envelopes the API adds are written here.
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
import type { WorkflowGraph } from '../../../schemas/workflow-graph.ts';
import type { Ledger } from '../../../temporal/ledger.ts';
import type { NodeDiff } from '../../../temporal/rerun.ts';
import type { NodeState, RoutingDecision, RunStatus, StartDecision } from '../../../temporal/workflows/run-types.ts';
import type { GraphError, GraphWarning } from '../../../workflows/validate.ts';

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
};

/** A node type as the palette receives it: the declaration plus where it came from. */
export type NodeType = NodeDeclaration & { origin?: string };

export interface VersionSummary {
  version: number;
  planHash: string;
  publishedAt: string;
  publishedBy?: string;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description?: string;
  templateId?: string;
  createdAt: string;
  updatedAt: string;
  latestVersion?: { version: number; planHash: string; publishedAt: string };
}

export interface Workflow extends WorkflowSummary {
  graph: WorkflowGraph;
  versions: VersionSummary[];
}

export interface ValidationReply {
  ok: boolean;
  errors: GraphError[];
  warnings: GraphWarning[];
}

export interface PublishReply {
  version: number;
  planHash: string;
  created: boolean;
}

export interface ExportDocument {
  format: 'trellis-workflow';
  formatVersion: 1;
  name: string;
  description?: string;
  graph: WorkflowGraph;
  /** Set by the server's export: `sha256:<hex>` of the rest; an import of a changed file asks first. */
  contentHash?: string;
}

export type RunState = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed-out';

export interface RunSummary {
  runId: string;
  workflowId: string;
  workflowName: string;
  version: number;
  planHash: string;
  status: RunState;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  costUsd: number;
  temporalUiUrl?: string;
  /** A canary run (control plane): listed only when asked for. */
  canary?: true;
}

export interface RunInputBody {
  input: { event?: Record<string, unknown>; data?: Record<string, unknown> };
  version?: number;
  idempotencyKey?: string;
}

export interface TemplateSummary {
  id: string;
  version: number;
  title: string;
  description: string;
  nodes: string[];
  parameters: Record<string, unknown>;
  graph: WorkflowGraph;
}

export interface MetricsWeek {
  week: string;
  workflowId: string;
  actions: number;
  reviews: number;
  editedOrRejected: number;
  falsePositiveRate: number | null;
  meanTimeToCorrectionMs: number | null;
  costUsd: number;
  costPerAction: number | null;
}

export interface ServiceHealth {
  reachable: boolean;
  version?: string;
  origin: 'env' | 'local';
  detail?: string;
  error?: string;
}

/** A process `trellis up` supervises, as services/supervisor-status.ts describes it. */
export interface SupervisedProcess {
  state: 'running' | 'restarting' | 'down' | 'stopped';
  pid?: number;
  restarts: number;
  lastExit?: string;
  lastExitAt?: string;
  nextRestartAt?: string;
}

/** Without a token the server sends `{ ok }` only; `services` and `processes` need one. */
export interface HealthReport {
  ok: boolean;
  services?: Record<string, ServiceHealth>;
  processes?: Record<string, SupervisedProcess>;
}
