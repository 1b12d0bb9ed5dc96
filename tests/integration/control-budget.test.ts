import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BudgetedModelRouter } from '../../control/agents/budgeted-router.ts';
import { ensureSeedAgents, listAgents, updateAgent } from '../../control/agents/registry.ts';
import { reconcileSpend } from '../../control/agents/spend.ts';
import { createModelRouter } from '../../models/index.ts';
import { fetchLedger } from '../../temporal/rerun.ts';
import { runStatus } from '../../temporal/runs.ts';
import { startOpenAIStub, type OpenAIStub } from '../setup/openai-stub.ts';
import { graph } from '../support/graph-builder.ts';
import { dbOnlyServices, startHarness, type Harness } from '../support/interpreter-harness.ts';

// The generate agent is bound to the provider tier (a large, priced model); a small local model
// is free. Once the agent's monthly budget is spent, its calls degrade to the cheaper tiers.
const drafting = graph(
  'menu post',
  [
    ['start', 'trigger', { kind: 'manual' }],
    [
      'post',
      'generate',
      {
        kind: 'social-post',
        template: 'Write a short post about our {{data.topic}}.',
        policy: { maxCostUsd: 5, maxLatencyMs: 20_000, minConfidence: 0.5, tiers: ['provider'] },
      },
    ],
  ],
  ['start.data -> post.data'],
);

const usd = (amount: number) => `$${amount.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;

describe('agent registry and budgets', () => {
  let h: Harness;
  let stub: OpenAIStub;

  beforeAll(async () => {
    stub = await startOpenAIStub();
    const env = {
      TRELLIS_LLM_BASE_URL: stub.baseUrl,
      TRELLIS_LLM_MODEL: 'large-model',
      TRELLIS_LLM_API_KEY: 'sk-budget-test',
      TRELLIS_LLM_PRICE_INPUT_PER_MTOK: '100',
      TRELLIS_LLM_PRICE_OUTPUT_PER_MTOK: '100',
      TRELLIS_LOCAL_LLM_BASE_URL: stub.baseUrl,
      TRELLIS_LOCAL_LLM_MODEL: 'small-model',
    };
    h = await startHarness(inject('services'), {
      nodeServices: (db) =>
        Promise.resolve({ ...dbOnlyServices(db), models: new BudgetedModelRouter(createModelRouter({ db, env }), db) }),
    });
  }, 120_000);
  afterAll(async () => {
    await h.close();
    await stub.close();
  });

  it('seeds one agent per built-in node type, with role, capabilities and budgets', async () => {
    await ensureSeedAgents(h.db, h.registry);
    expect(await ensureSeedAgents(h.db, h.registry)).toBe(0);
    const agents = await listAgents(h.db);
    const ids = agents.map((a) => a.id);
    for (const id of ['ingest@1', 'retrieve@1', 'remember@1', 'extract@1', 'generate@1', 'human-review@1', 'invoice@1'])
      expect(ids).toContain(id);
    expect(ids).not.toContain('trigger@1');
    expect(ids.some((id) => id.startsWith('test.'))).toBe(false);
    expect(agents.find((a) => a.id === 'extract@1')).toMatchObject({
      tier: 'provider',
      role: 'Reads a message for its intent, action items, dates, amounts, people and organisations.',
      capabilities: {
        intents: ['lead', 'billing', 'change-request', 'feedback', 'scheduling', 'spam', 'other'],
        nodeTypes: ['extract'],
      },
      budget: { perActionUsd: 0.01, perMonthUsd: 10, latencyMs: 8000, onOverBudget: 'degrade' },
      spend: { costUsd: 0, overBudget: false },
    });
    expect(agents.find((a) => a.id === 'human-review@1')?.tier).toBe('human');
  });

  it('degrades to the cheaper tier once the monthly budget is spent, and says why in the ledger', async () => {
    await ensureSeedAgents(h.db, h.registry);
    await updateAgent(h.db, 'generate@1', { budget: { perActionUsd: 5, perMonthUsd: 1 } });
    const plan = h.compile(drafting);

    const first = await h.start(plan, { data: { topic: 'spring menu' } });
    await first.handle.result();
    const paid = (await fetchLedger(h.client, first.handle.workflowId)).entries.find((e) => e.nodeId === 'post')!;
    expect(paid).toMatchObject({ status: 'completed', tier: 'provider', model: 'large-model' });
    const cost = paid.costUsd!;
    expect(cost).toBeGreaterThan(0);
    // The meter agrees with the ledger for the attempt that finished.
    expect(await reconcileSpend(h.client, h.db, [first.handle.workflowId])).toEqual([
      {
        workflowId: first.handle.workflowId,
        nodeId: 'post',
        ledgerUsd: cost,
        meteredUsd: cost,
        unledgeredUsd: 0,
        agrees: true,
      },
    ]);

    // The operator lowers the budget below what was spent: the month is over for this agent.
    await updateAgent(h.db, 'generate@1', { budget: { perMonthUsd: 0.001 } });
    const generate = (await listAgents(h.db)).find((a) => a.id === 'generate@1');
    expect(generate?.spend).toMatchObject({ costUsd: cost, calls: 1, remainingUsd: 0, overBudget: true });

    const second = await h.start(plan, { data: { topic: 'summer menu' } });
    const result = await second.handle.result();
    expect(result.outputs.post).toMatchObject({
      draft: { kind: 'social-post', text: expect.stringContaining('summer menu') },
    });
    const degraded = (await fetchLedger(h.client, second.handle.workflowId)).entries.find((e) => e.nodeId === 'post')!;
    expect(degraded).toMatchObject({ status: 'completed', tier: 'local', model: 'small-model', costUsd: 0 });
    const month = new Date().toISOString().slice(0, 7);
    expect(degraded.notes?.[0]).toBe(
      `budget: generate@1 spent ${usd(cost)} of its $0.001 monthly budget (${month}); degraded from provider to cached, local`,
    );
    expect(stub.requests.map((r) => r.body.model)).toEqual(['large-model', 'small-model']);
  });

  it('degrades too when what is left of the month does not cover a provider call', async () => {
    const spent = (await listAgents(h.db)).find((a) => a.id === 'generate@1')!.spend.costUsd;
    await updateAgent(h.db, 'generate@1', { budget: { perMonthUsd: spent + 0.05 } });
    const { handle } = await h.start(h.compile(drafting), { data: { topic: 'winter menu' } });
    await handle.result();
    const entry = (await fetchLedger(h.client, handle.workflowId)).entries.find((e) => e.nodeId === 'post')!;
    expect(entry).toMatchObject({ status: 'completed', tier: 'local', model: 'small-model', costUsd: 0 });
    expect(entry.notes?.[0]).toBe('budget: maxCostUsd $5 capped at $0.05 (generate@1, $0.05 left this month)');
    expect(entry.notes?.[1]).toMatch(
      /^provider: skipped large-model, estimated cost \$0\.1\d+ exceeds maxCostUsd \$0\.05$/,
    );
    expect(entry.notes?.[2]).toBe(
      'budget: generate@1 has $0.05 left this month, not enough for provider; degraded to cached, local',
    );
    expect(stub.requests.map((r) => r.body.model)).toEqual(['large-model', 'small-model', 'small-model']);
  });

  it('hands the work to a person instead when the agent says so', async () => {
    await updateAgent(h.db, 'generate@1', { budget: { perMonthUsd: 0.001, onOverBudget: 'human' } });
    const { handle } = await h.start(h.compile(drafting), { data: { topic: 'autumn menu' } });
    let taskId: string | undefined;
    for (let i = 0; i < 100 && !taskId; i++) {
      taskId = (await runStatus(h.client, handle.workflowId).catch(() => undefined))?.waitingTasks[0];
      if (!taskId) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const task = await h.db.query<{ reason: string }>('select reason from review_tasks where id = $1', [taskId]);
    expect(task.rows[0]?.reason).toMatch(
      /^budget: generate@1 spent \$[0-9.]+ of its \$0\.001 monthly budget \(\d{4}-\d{2}\); over budget, so a person does this$/,
    );
    expect(stub.requests).toHaveLength(3);
    await handle.terminate('test done');
    await updateAgent(h.db, 'generate@1', { budget: { perActionUsd: 0.05, perMonthUsd: 30, onOverBudget: 'degrade' } });
  });
});
