// The control plane pages end to end, in Debian's Chromium against the real product. The data is
// made through the HTTP API: a published workflow (transform → human review), routing rules made
// live through a canary, ingested emails routed to runs (reviewed and approved) and to triage,
// and two canaries of a node change. Then, in the browser: the live rules, the routings with links
// to their runs and the triage task, the agents and their budgets (one edited), the canary report
// and its promotion, a stale report that cannot be promoted, a rule draft canaried and promoted,
// and the advisor's proposal canaried from its card.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { launchBrowser, screenshot, type Browser } from './support/browser.ts';
import type { PageGlobals } from './support/page-globals.ts';
import {
  controlPlaneClient,
  enc,
  makeControlPlaneData,
  type Agent,
  type ControlPlaneData,
  type RuleSet,
} from './support/control-plane-data.ts';
import { buildEditor, startProduct, type Product } from './support/product.ts';

const services = inject('services');
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

let product: Product;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shots: string[] = [];
let data: ControlPlaneData;
let extractBudget: Agent['budget'] | undefined;

function requireEditor(context: TestContext): void {
  if (product.missingRoutes.length > 0) context.skip();
}

async function shot(name: string, target: Page = page, fullPage = false) {
  shots.push(await screenshot(target, name, { fullPage }));
}

/** The product's API; `product` is there once beforeAll has started it. */
const call = <T>(method: string, route: string, body?: unknown, expected?: number) =>
  controlPlaneClient(product).call<T>(method, route, body, expected);

describe('control plane pages in Chromium', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    buildEditor();
    product = await startProduct(services);
    data = await makeControlPlaneData(product);
    browser = await launchBrowser({ token: product.token, baseUrl: product.baseUrl });
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 420_000);

  afterAll(async () => {
    // The agent budget edited below is put back: the registry is shared with other suites.
    if (extractBudget) await call('PATCH', '/agents/extract@1', { budget: extractBudget }).catch(() => undefined);
    // The triage task is dismissed, so the shared queue does not fill up with this test's leftovers.
    if (data?.triageEvent)
      await call('POST', `/reviews/${enc(`triage:${data.triageEvent}`)}/decision`, {
        decision: 'rejected',
        reviewer: 'e2e',
      }).catch(() => undefined);
    await browser?.close();
    await product?.close();
    if (shots.length > 0) console.log(`screenshots:\n${shots.join('\n')}`);
  });

  it('serves every route the editor calls', () => {
    expect(product.missingRoutes).toEqual([]);
  });

  it('shows the live rules in order, with the rule that routes billing from the client', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/control`);
    const live = page.getByRole('table', { name: 'Live rules' });
    const row = live.locator(`tr[data-rule-id="${data.ruleId}"]`);
    await row.waitFor();
    // Ours is the first rule: it was put before the live ones.
    expect(await live.locator('tbody tr').first().getAttribute('data-rule-id')).toBe(data.ruleId);
    const text = await row.textContent();
    expect(text).toContain(`Northwind ${data.suffix}`);
    expect(text).toContain(data.workflowName);
    expect(text).toContain('60%');
    expect(await live.locator('tr.rule-default').count()).toBe(1);
    expect(
      await page
        .getByRole('navigation', { name: 'Control plane sections' })
        .getByRole('link', { name: 'Routing rules' })
        .getAttribute('aria-current'),
    ).toBe('page');
    await shot('control-01-rules');
  });

  it('lists the routed events with their intent, rule and a link to the run or the triage task', async (context) => {
    requireEditor(context);
    await page.getByRole('link', { name: 'Recent routings' }).click();
    await page.getByRole('search', { name: 'Filter routings' }).getByLabel('Client').selectOption(data.clientId);
    const table = page.getByRole('table', { name: 'Recent routings' });
    await eventually(() => table.locator('tbody tr').count()).toBe(4);
    for (const runId of data.routedRuns) {
      const row = table.locator('tbody tr').filter({ has: page.locator(`a[href="/runs/${enc(runId)}"]`) });
      expect(await row.count()).toBe(1);
      expect(await row.locator('.badge').textContent()).toBe('run');
      expect(await row.textContent()).toContain(data.ruleId);
      expect(await row.textContent()).toContain('billing');
    }
    const triage = table.locator(`tr[data-event-id="${data.triageEvent}"]`);
    expect(await triage.locator('.badge').textContent()).toBe('triage');
    expect(await triage.locator('td.num').textContent()).toBe(data.triageConfidence);
    await shot('control-02-routings');

    // The run link opens the run; the triage link opens the queue on triage tasks, with this one in it.
    await table.locator(`a[href="/runs/${enc(data.routedRuns[0]!)}"]`).click();
    await page.getByRole('heading', { name: `Run of ${data.workflowName}` }).waitFor();
    // The inspector says how the run started, from the routing decision in its history.
    const routing = page.getByRole('region', { name: 'How this run started' });
    await routing.waitFor();
    expect(await routing.textContent()).toContain(`rule ${data.ruleId}`);
    expect(await routing.textContent()).toContain('billing');
    expect(await routing.textContent()).toContain('foreground');
    await shot('control-20-run-routing');
    await page.goBack();
    await table
      .locator(`tr[data-event-id="${data.triageEvent}"]`)
      .getByRole('link', { name: 'Open triage task' })
      .click();
    await page.waitForURL(/\/reviews\?kind=triage$/);
    expect(await page.getByLabel('Kind').inputValue()).toBe('triage');
    const card = page.locator(`.task-card[data-task-id="triage:${data.triageEvent}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('Order sheet week 24');
    await shot('control-03-triage-task');
  });

  it('shows the agents with their budgets and spend, and saves an edited budget', async (context) => {
    requireEditor(context);
    const { agents } = await call<{ agents: Agent[] }>('GET', '/agents');
    extractBudget = agents.find((agent) => agent.id === 'extract@1')?.budget;
    expect(extractBudget).toBeDefined();
    await page.goto(`${product.baseUrl}/control/agents`);
    const row = page.getByRole('table', { name: 'Agents' }).locator('tr[data-agent-id="extract@1"]');
    await row.waitFor();
    // As the page writes amounts (ui/format.ts formatCost).
    const money = (usd: number) => (usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`);
    expect(await row.locator('[data-label="per-month"]').textContent()).toBe(money(extractBudget!.perMonthUsd));
    expect(await row.getByRole('list', { name: 'Intents' }).textContent()).toContain('billing');
    expect(await page.locator('tr[data-agent-id="human-review@1"]').textContent()).toContain('a person');
    await shot('control-04-agents');

    const monthly = extractBudget!.perMonthUsd + 7;
    await row.getByRole('button', { name: 'Edit extract@1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit extract@1' });
    await dialog.getByLabel('Per month (USD)').fill(String(monthly));
    await shot('control-05-agent-edit');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(() => row.locator('[data-label="per-month"]').textContent()).toBe(money(monthly));
    const saved = (await call<{ agents: Agent[] }>('GET', '/agents')).agents.find((a) => a.id === 'extract@1');
    expect(saved?.budget).toEqual({ ...extractBudget, perMonthUsd: monthly });
  });

  it('opens a canary report with its per-node counts and promotes it from there', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/control/canaries`);
    const listed = page
      .getByRole('table', { name: 'Canary reports' })
      .locator(`tr[data-report-id="${data.reports.change}"]`);
    await listed.waitFor();
    // The row shows the workflow's id until the page's directory of names has loaded.
    await eventually(() => listed.textContent()).toContain(`${data.workflowName} v1 with action changed`);
    await shot('control-06-canaries');
    await listed.getByRole('link').click();
    await page.waitForURL(new RegExp(`/control/canaries/${data.reports.change}$`));

    const node = page.getByRole('table', { name: 'Per node' }).locator('tr[data-node-id="action"]');
    await node.waitFor();
    expect(await node.locator('[data-label="changed"]').textContent()).toBe('1');
    // Three reviewed runs; the changed output (a call for 1043) differs from what the person approved.
    expect(await node.locator('[data-label="matches"]').textContent()).toBe('2 of 3');
    expect(await node.locator('[data-label="false-positives"]').textContent()).toBe('33.3%');
    expect(await page.locator('.facts').first().textContent()).toContain('at most 50');
    const changedRun = page.locator('.ledger-entry').filter({ has: page.locator('.badge-changed') });
    expect(await changedRun.count()).toBe(1);
    // The changed run, opened: the action before and after, and the verdict against the approved value.
    await changedRun.locator(':scope > summary').click();
    expect(await changedRun.getByRole('group', { name: 'Before: action' }).textContent()).toContain('remind');
    expect(await changedRun.getByRole('group', { name: 'After: action' }).textContent()).toContain('call');
    expect(await changedRun.textContent()).toContain('differs from the approved value');
    const promote = page.getByRole('button', { name: 'Promote…' });
    expect(await promote.isEnabled()).toBe(true);
    await shot('control-07-report', page, true);

    await promote.click();
    const dialog = page.getByRole('dialog', { name: 'Promote this candidate' });
    expect(await dialog.textContent()).toContain('published as the next version');
    await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
    await page.locator('.notice-ok').filter({ hasText: 'Promoted by' }).waitFor();
    expect(await promote.isDisabled()).toBe(true);
    expect(await page.locator('#promote-reason').textContent()).toContain('Already promoted');
    await shot('control-08-report-promoted');

    const { workflow } = await call<{ workflow: { latestVersion?: { version: number } } }>(
      'GET',
      `/workflows/${enc(data.workflowId)}`,
    );
    expect(workflow.latestVersion?.version).toBe(2);
    const live = (await call<{ ruleSet: RuleSet }>('GET', '/routing/rules')).ruleSet;
    expect(live.rules.find((rule) => rule.id === data.ruleId)?.version).toBe(2);
  });

  it('refuses to promote a report made on an older version, saying why', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/control/canaries/${data.reports.stale}`);
    await page.getByRole('table', { name: 'Per node' }).waitFor();
    await eventually(() => page.locator('#promote-reason').textContent()).toContain('v2 has been published since');
    expect(await page.getByRole('button', { name: 'Promote…' }).isDisabled()).toBe(true);
    await shot('control-09-report-stale');
  });

  it('runs a canary of a node change from the canary list, picking the node and editing its config', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/control/canaries`);
    await page.getByRole('button', { name: 'Run a canary…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run a canary' });
    expect(await dialog.getByRole('button', { name: 'Run canary' }).isDisabled()).toBe(true);
    await dialog.getByLabel(/^Workflow/).selectOption(data.workflowId);
    // The latest version is the one a change builds on.
    await eventually(() => dialog.getByLabel('Built on version').inputValue()).toBe('2');
    await dialog.getByLabel(/^Node/).selectOption('action');
    const config = dialog.getByLabel(/^Config of action/);
    expect(await config.inputValue()).toContain('1043');
    // Back to a plain reminder for every invoice: what the person approved each time.
    await config.fill(JSON.stringify({ expression: '"remind"' }, null, 2));
    expect(await dialog.locator('p', { hasText: 'Change:' }).textContent()).toContain('{"expression":"\\"remind\\""}');
    await shot('control-10-new-canary-dialog');
    await dialog.getByRole('button', { name: 'Run canary' }).click();
    await page.waitForURL(/\/control\/canaries\/canary-/);
    const node = page.getByRole('table', { name: 'Per node' }).locator('tr[data-node-id="action"]');
    await node.waitFor();
    await eventually(() => page.getByRole('heading', { level: 2 }).textContent()).toContain(
      `${data.workflowName} v2 with action changed`,
    );
    expect(await node.locator('[data-label="changed"]').textContent()).toBe('0');
    expect(await node.locator('[data-label="matches"]').textContent()).toBe('3 of 3');
    expect(await node.locator('[data-label="false-positives"]').textContent()).toBe('0.0%');
  });

  it('edits the live rules as a draft, runs its canary and promotes it', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/control/routing`);
    await page.getByRole('button', { name: 'New draft from the live rules' }).click();
    const rule = page.getByRole('listitem', { name: `Rule 1: ${data.ruleId}` });
    await rule.getByLabel('Minimum intent confidence').fill('0.5');
    await page.getByLabel('Note (why this change)').fill(`e2e ${data.suffix}: take billing at 50%`);
    await shot('control-11-draft-editor');
    await page.getByRole('button', { name: 'Save draft' }).click();
    const notice = page.getByRole('status').filter({ hasText: /Draft rules v\d+ is saved/ });
    await notice.waitFor();
    const version = Number(/v(\d+)/.exec((await notice.textContent()) ?? '')?.[1]);
    expect((await call<{ ruleSet: RuleSet }>('GET', `/routing/rule-sets/${version}`)).ruleSet.status).toBe('draft');

    await notice.getByRole('button', { name: 'run its canary' }).click();
    const dialog = page.getByRole('dialog', { name: `Run a canary of rules v${version}` });
    await dialog.getByLabel('Client').selectOption(data.clientId);
    await shot('control-12-canary-dialog');
    await dialog.getByRole('button', { name: 'Run canary' }).click();
    await page.waitForURL(/\/control\/canaries\/canary-/);
    const perRule = page.getByRole('table', { name: 'Per rule' });
    await perRule.locator(`tr[data-node-id="${data.ruleId}"]`).waitFor();
    expect(await page.getByRole('region', { name: 'Replayed events' }).locator('.ledger-entry').count()).toBe(4);
    await shot('control-13-routing-report', page, true);
    await page.getByRole('button', { name: 'Promote…' }).click();
    await page
      .getByRole('dialog', { name: 'Promote this candidate' })
      .getByRole('button', { name: 'Promote', exact: true })
      .click();
    await page
      .locator('.notice-ok')
      .filter({ hasText: `rules v${version} are live` })
      .waitFor();

    const live = (await call<{ ruleSet: RuleSet }>('GET', '/routing/rules')).ruleSet;
    expect(live.version).toBe(version);
    expect(live.rules[0]).toMatchObject({ id: data.ruleId, minConfidence: 0.5, version: 2 });
  });

  it('asks the advisor, shows the proposal with its evidence and runs its canary', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/control/advisor`);
    await page.getByLabel('Workflow').selectOption(data.workflowId);
    await page.getByRole('button', { name: 'Look for proposals' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `for ${data.workflowName}` })
      .waitFor({ timeout: 60_000 });
    const card = page.locator('.proposal-card').filter({ hasText: data.workflowName });
    await card.first().waitFor();
    // Three reviews approved unchanged in a row: let the review approve by itself.
    const automate = card.filter({ hasText: 'Let it run without a person' });
    expect(await automate.count()).toBe(1);
    expect(await automate.getByRole('table', { name: 'Decisions' }).locator('tbody tr').count()).toBe(3);
    expect(await automate.getByRole('list', { name: 'Change' }).textContent()).toContain('onTimeout → "approve"');
    await shot('control-14-advisor', page, true);

    await automate.getByRole('button', { name: 'Run canary…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Run the canary of/ });
    await dialog.getByRole('button', { name: 'Run canary' }).click();
    await page.waitForURL(/\/control\/canaries\/canary-/);
    await page.getByRole('table', { name: 'Per node' }).locator('tr[data-node-id="check"]').waitFor();
    await eventually(() => page.getByRole('heading', { level: 2 }).textContent()).toContain(
      `${data.workflowName} v2 with check changed`,
    );
    expect(await page.getByRole('button', { name: 'Promote…' }).isEnabled()).toBe(true);
    await shot('control-15-advisor-report', page, true);
  });

  it('shows the suggestions and works in a narrow window', async (context) => {
    requireEditor(context);
    await page.goto(`${product.baseUrl}/control/suggestions`);
    await page.locator('.suggestion-card, .empty-state').first().waitFor();
    await shot('control-16-suggestions');

    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 640, height: 900 });
    const scrollWidth = () =>
      narrow.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
    await narrow.goto(`${product.baseUrl}/control/routing`);
    await narrow.getByRole('table', { name: 'Live rules' }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(640);
    await shot('control-17-rules-narrow', narrow, true);
    await narrow.goto(`${product.baseUrl}/control/canaries/${data.reports.change}`);
    await narrow.getByRole('table', { name: 'Per node' }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(640);
    await shot('control-18-report-narrow', narrow, true);
    await narrow.goto(`${product.baseUrl}/control/agents`);
    await narrow.getByRole('table', { name: 'Agents' }).waitFor();
    await shot('control-19-agents-narrow', narrow);
    expect(await scrollWidth()).toBeLessThanOrEqual(640);
    await narrow.close();
    expect(pageErrors).toEqual([]);
  });
});
