import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../nodes/builtins.ts';
import { evaluate } from '../../nodes/sdk/expression.ts';
import { ValidationError } from '../../schemas/ajv.ts';
import { mailAccountId } from '../../schemas/mail-account.ts';
import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';
import { compileGraph } from '../../workflows/compile.ts';
import { getTemplate, instantiate, listTemplates, templateProblems } from '../../workflows/templates/index.ts';
import { placeholdersIn, substitute } from '../../workflows/templates/parameters.ts';
import { validateGraph } from '../../workflows/validate.ts';

// The gallery's templates that read or send mail: they take a mail account, say so in `needs`,
// and wire send-email after the person's review.
const registry = createBuiltinRegistry();

function node(graph: WorkflowGraph, id: string) {
  const found = graph.nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no node ${id} in ${graph.nodes.map((n) => n.id).join(', ')}`);
  return found;
}

function wiredInto(graph: WorkflowGraph, target: string): string[] {
  return graph.edges
    .filter((edge) => edge.target === target)
    .map((edge) => `${edge.source}.${edge.sourcePort} -> ${edge.targetPort}`)
    .sort();
}

function expectCompiles(graph: WorkflowGraph) {
  expect(validateGraph(graph, registry).errors).toEqual([]);
  expect(compileGraph(graph, registry).ok).toBe(true);
}

function parameterErrors(id: string, parameters: Record<string, unknown>): string[] {
  try {
    instantiate(id, parameters);
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.pointer);
    throw error;
  }
  return [];
}

describe('templates that use a mailbox', () => {
  it('declare each mail account they need, as an `account` parameter titled "Mail account"', () => {
    const needing = listTemplates().filter((template) => template.needs?.mailAccounts);
    expect(needing.map((t) => [t.id, t.version])).toEqual([
      ['client-email-triage', 2],
      ['client-status-question', 1],
      ['lead-intake', 2],
      ['invoice-approved-work', 2],
      ['scope-change', 2],
    ]);
    for (const template of needing) {
      const [need] = template.needs!.mailAccounts!;
      expect(need?.parameter).toBe('account');
      expect(template.parameters.properties.account).toMatchObject({
        title: 'Mail account',
        pattern: mailAccountId.pattern,
      });
      expect(need?.optional ?? false).toBe(template.id === 'lead-intake');
    }
    // Every template whose trigger is fixed to email is among them.
    for (const template of listTemplates()) {
      const trigger = template.graph.nodes.find((n) => n.type === 'trigger');
      if (trigger?.config.kind === 'email') expect(template.needs?.mailAccounts, template.id).toBeDefined();
    }
  });

  it('client email triage: mail arrives in the account and the approved reply is sent from it', () => {
    expect(parameterErrors('client-email-triage', {})).toEqual(['/parameters/account']);
    // `source` was replaced by `account` in version 2.
    expect(parameterErrors('client-email-triage', { account: 'studio', source: 'inbox' })).toEqual([
      '/parameters/source',
    ]);
    expect(parameterErrors('client-email-triage', { account: 'Not An Id' })).toEqual(['/parameters/account']);
    const graph = instantiate('client-email-triage', { account: 'studio' });
    expect(node(graph, 'start').config).toEqual({ kind: 'email', source: 'studio' });
    expect(node(graph, 'send')).toMatchObject({ type: 'send-email', config: { account: 'studio', mode: 'reply' } });
    expect(wiredInto(graph, 'send')).toEqual([
      'review.decision -> decision',
      'review.reviewer -> reviewer',
      'review.value -> body',
      'start.event -> event',
    ]);
    expectCompiles(graph);
  });

  it('scope change: the trigger listens to the account', () => {
    expect(parameterErrors('scope-change', {})).toEqual(['/parameters/account']);
    const graph = instantiate('scope-change', { account: 'studio' });
    expect(node(graph, 'start').config).toEqual({ kind: 'email', source: 'studio' });
    expectCompiles(graph);
  });

  it('lead intake: a web form by default, a mail account for email leads, never one without the other', () => {
    expect(node(instantiate('lead-intake'), 'start').config).toEqual({ kind: 'webhook', source: 'website-form' });
    const byMail = instantiate('lead-intake', { trigger: 'email', account: 'leads' });
    expect(node(byMail, 'start').config).toEqual({ kind: 'email', source: 'leads' });
    expectCompiles(byMail);
    expect(parameterErrors('lead-intake', { trigger: 'email' })).toContain('/parameters/account');
    expect(parameterErrors('lead-intake', { account: 'leads' })).toContain('/parameters/trigger');
    expect(parameterErrors('lead-intake', { trigger: 'webhook', account: 'leads' })).toContain('/parameters/trigger');
  });

  it('invoice for approved work: the approved invoice goes to the client as a new message with its PDF', async () => {
    expect(parameterErrors('invoice-approved-work', { seller: { name: 'Park' } })).toEqual(['/parameters/account']);
    const graph = instantiate('invoice-approved-work', { seller: { name: 'Park' }, account: 'billing' });
    expect(node(graph, 'send').config).toEqual({
      account: 'billing',
      mode: 'new',
      to: '{{clientEmail}}',
      subject: 'Invoice {{invoiceNumber}} ({{total}})',
      attachInvoice: true,
    });
    expect(wiredInto(graph, 'letter')).toEqual(['review.value -> value']);
    expect(wiredInto(graph, 'send')).toEqual([
      'letter.value -> body',
      'letter.value -> invoice',
      'review.decision -> decision',
      'review.reviewer -> reviewer',
    ]);
    expectCompiles(graph);
    // The letter turns the approved invoice into what send-email takes as body and invoice.
    const invoice = { id: 'inv-1', number: 'INV-0007', clientId: 'c-1', dueDate: '2026-12-31', totalMinor: 120_000 };
    const letter = (await evaluate(node(graph, 'letter').config.expression as string, invoice, { where: 'test' })) as {
      text: string;
      invoice: unknown;
    };
    expect(letter.text).toBe(
      'Hello,\n\nplease find invoice INV-0007 attached, due 2026-12-31.\n\nThank you for your business.',
    );
    expect(letter.invoice).toEqual(invoice);
  });
});

describe('template checks for mail', () => {
  it('a parameter may fall back to another when it is not given', () => {
    const config = { source: { $param: 'account', otherwise: { $param: 'source' } } };
    expect(placeholdersIn(config)).toEqual(['account', 'source']);
    expect(substitute(config, { account: 'a', source: 's' })).toEqual({ source: 'a' });
    expect(substitute(config, { source: 's' })).toEqual({ source: 's' });
    expect(substitute(config, {})).toEqual({});
    expect(substitute({ x: { $param: 'y', otherwise: 3 } }, {})).toEqual({ x: 3 });
  });

  it('refuses mail needs that do not match the graph', () => {
    const triage = getTemplate('client-email-triage')!;
    delete triage.needs;
    expect(templateProblems(triage)).toEqual([
      '/graph/nodes/0/config takes a mail account from "account", missing from /needs/mailAccounts',
      expect.stringMatching(/^\/graph\/nodes\/\d+\/config takes a mail account from "account"/),
    ]);
    const invoice = getTemplate('invoice-approved-work')!;
    invoice.needs = { mailAccounts: [{ parameter: 'currency', purpose: 'x' }] };
    const send = invoice.graph.nodes.find((n) => n.id === 'send')!;
    send.config.account = 'fixed';
    expect(templateProblems(invoice)).toEqual([
      '/needs/mailAccounts/0 names "currency", not a mail account parameter',
      '/needs/mailAccounts/0 needs "currency" but the parameters do not require it',
      expect.stringMatching(/config\/account must come from a mail account parameter$/),
    ]);
  });
});
