import { defaultExtractPolicy } from '../../nodes/extract/definition.ts';
import { intents } from '../../nodes/sdk/ports.ts';
import type { NodeDefinition } from '../../nodes/sdk/define-node.ts';
import type { NodeRegistry } from '../../nodes/sdk/registry.ts';
import type { Agent, AgentTier } from '../schemas/agent.ts';

/** What each built-in does, in a sentence; other node types take the first sentence of their description. */
const roles: Record<string, string> = {
  ingest: 'Turns an email, webhook, form or document into a typed event and files it under its client and project.',
  retrieve: 'Finds what memory knows about the client and project for the step that needs it.',
  remember: 'Writes outcomes and corrections to memory with their provenance.',
  extract: 'Reads a message for its intent, action items, dates, amounts, people and organisations.',
  generate: 'Drafts replies, proposals, status updates and notes from retrieved context.',
  'human-review': 'Asks the owner to approve, edit or reject a value before it goes further.',
  invoice: 'Issues numbered invoices with their PDF in the source of truth.',
  condition: 'Sends the run down one branch or another by a rule.',
  transform: 'Reshapes data between steps with a JSONata expression.',
};

/** Model-backed nodes serve intents; the rest serve whatever their workflow does. */
const served: Record<string, readonly string[]> = {
  extract: intents,
  generate: ['lead', 'billing', 'change-request', 'feedback', 'scheduling'],
};

/** Budgets a new installation starts with; the operator edits them in the registry. */
const monthly: Record<string, { perActionUsd: number; perMonthUsd: number; latencyMs: number }> = {
  extract: {
    perActionUsd: defaultExtractPolicy.maxCostUsd,
    perMonthUsd: 10,
    latencyMs: defaultExtractPolicy.maxLatencyMs,
  },
  generate: { perActionUsd: 0.05, perMonthUsd: 30, latencyMs: 60_000 },
  // One action is one agent node run, every model call of its loop together.
  agent: { perActionUsd: 0.25, perMonthUsd: 30, latencyMs: 300_000 },
};

function tierOf(definition: NodeDefinition): AgentTier {
  if (definition.execution.kind === 'human') return 'human';
  return definition.category === 'ai' ? 'provider' : 'none';
}

export function agentFor(definition: NodeDefinition): Agent {
  const budget = monthly[definition.type] ?? {
    perActionUsd: 0,
    perMonthUsd: 0,
    latencyMs: definition.execution.timeoutMs,
  };
  return {
    id: `${definition.type}@${definition.version}`,
    nodeType: definition.type,
    nodeVersion: definition.version,
    tier: tierOf(definition),
    role: roles[definition.type] ?? definition.description.split(/(?<=\.)\s/)[0] ?? definition.title,
    capabilities: { intents: [...(served[definition.type] ?? [])], nodeTypes: [definition.type] },
    budget: { ...budget, onOverBudget: 'degrade' },
    enabled: true,
    origin: 'seed',
  };
}

/** The seed: every built-in node type except the trigger, which does no work of its own. */
export function seedAgents(registry: NodeRegistry): Agent[] {
  return registry
    .list()
    .filter((definition) => definition.origin === 'builtin' && definition.execution.kind !== 'trigger')
    .map(agentFor);
}
