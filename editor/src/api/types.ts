// Shapes of the HTTP API (docs/API.md). Contract types come from the shared schemas and modules;
// only the envelopes the API adds are written here.
import type { NodeDeclaration } from '../../../nodes/sdk/define-node.ts';
import type { LedgerEntry } from '../../../schemas/ledger-entry.ts';
import type { ReviewTask } from '../../../schemas/review-task.ts';
import type { WorkflowGraph } from '../../../schemas/workflow-graph.ts';
import type { Ledger } from '../../../temporal/ledger.ts';
import type { NodeDiff } from '../../../temporal/rerun.ts';
import type { NodeState, RunStatus } from '../../../temporal/workflows/run-types.ts';
import type { GraphError, GraphWarning } from '../../../workflows/validate.ts';

export type {
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

export interface HealthReport {
  ok: boolean;
  services: Record<string, ServiceHealth>;
}
