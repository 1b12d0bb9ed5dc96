import type { NodeCategory } from '../../schemas/node-definition.ts';
import type { NodeContext, NodeOutcome, NodeServices } from './context.ts';

/** An object schema whose top-level properties are the ports (or config fields). */
export interface PortsSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, object>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

export interface NodeExecution {
  /**
   * trigger: the run input; activity: a Temporal activity; local: a local activity (cheap, pure); human: waits;
   * agent: the interpreter runs a model-and-tools loop, one activity per step (temporal/workflows/agent-loop.ts).
   */
  readonly kind: 'trigger' | 'activity' | 'local' | 'human' | 'agent';
  readonly timeoutMs: number;
  readonly heartbeatMs?: number;
  readonly retry?: {
    readonly maximumAttempts?: number;
    readonly initialIntervalMs?: number;
    readonly backoffCoefficient?: number;
    readonly maximumIntervalMs?: number;
  };
}

/**
 * The declarative half of a node, written `as const satisfies NodeDeclaration` in its
 * definition.ts; its Config/Input/Output types come from the schemas with FromSchema there.
 */
export interface NodeDeclaration {
  readonly type: string;
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly category: NodeCategory;
  readonly config: PortsSchema;
  readonly input: PortsSchema;
  readonly output: PortsSchema;
  readonly execution: NodeExecution;
  readonly tier?: { readonly cost?: 'free' | 'low' | 'high'; readonly latency?: 'instant' | 'fast' | 'slow' };
  readonly continueOnFailure?: boolean;
  /** Writes outside the run (source of truth, memory, mail). Canary runs skip these. */
  readonly sideEffects: boolean;
  readonly editor?: { readonly color?: string; readonly icon?: string; readonly summaryField?: string };
  /** Validated against the schemas at registration, and round-tripped by the registry tests. */
  readonly examples?: readonly { readonly title?: string; readonly config: object; readonly input: object }[];
}

/** A node's code, typed from its schemas (via the definition's FromSchema aliases): no casts in node code. */
export type RunFn<Config, Input, Output> = (
  input: Input,
  config: Config,
  context: NodeContext,
) => Promise<NodeOutcome<Output>>;

/** Undoes a side effect when the run fails later (saga): e.g. voids an invoice. Must be idempotent. */
export type CompensateFn<Config, Output> = (output: Output, config: Config, services: NodeServices) => Promise<void>;

/** A registered node: the declaration plus its code, with types erased for the registry. */
export interface NodeDefinition extends NodeDeclaration {
  readonly run?: (input: unknown, config: unknown, context: NodeContext) => Promise<NodeOutcome<unknown>>;
  readonly compensate?: (output: unknown, config: unknown, services: NodeServices) => Promise<void>;
}

/** Joins a declaration and its code into a registry entry. Trigger and human nodes have no code. */
export function defineNode<Config, Input, Output>(
  declaration: NodeDeclaration,
  run?: RunFn<Config, Input, Output>,
  compensate?: CompensateFn<Config, Output>,
): NodeDefinition {
  // The activity boundary validates input, config and output against the schemas around these calls.
  return {
    ...declaration,
    ...(run ? { run: run as NodeDefinition['run'] } : {}),
    ...(compensate ? { compensate: compensate as NodeDefinition['compensate'] } : {}),
  };
}

export function nodeKey(type: string, version: number): string {
  return `${type}@${version}`;
}
