import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../nodes/builtins.ts';
import { ValidationError } from '../../schemas/ajv.ts';
import {
  getTemplate,
  instantiate,
  listTemplates,
  templateProblems,
  UnknownTemplateError,
} from '../../workflows/templates/index.ts';
import { placeholdersIn, substitute, withDefaults } from '../../workflows/templates/parameters.ts';
import { compileGraph } from '../../workflows/compile.ts';
import { validateGraph } from '../../workflows/validate.ts';

/** The least each template needs: its required parameters. */
const required: Record<string, Record<string, unknown>> = {
  'client-email-triage': { account: 'studio' },
  'client-status-question': { account: 'studio' },
  'scope-change': { account: 'studio' },
  'weekly-client-status': { projectId: 'project-1' },
  'invoice-approved-work': { seller: { name: 'Park Studio' }, account: 'studio' },
};

describe('template gallery', () => {
  const registry = createBuiltinRegistry();

  it('lists the eleven templates, each with a title, description, version, parameters and its node types', () => {
    const templates = listTemplates();
    expect(templates.map((t) => t.id)).toEqual([
      'client-email-triage',
      'client-status-question',
      'lead-intake',
      'meeting-notes-to-tasks',
      'weekly-client-status',
      'invoice-approved-work',
      'overdue-invoice-reminder',
      'scope-change',
      'knowledge-base',
      'content-repurposing',
      'memory-maintenance',
    ]);
    for (const template of templates) {
      expect(templateProblems(template)).toEqual([]);
      expect(template.version).toBeGreaterThanOrEqual(1);
      expect(template.parameters.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(template.nodes).toEqual([...new Set(template.graph.nodes.map((n) => n.type))].sort());
      for (const type of template.nodes) expect(registry.latest(type), `${template.id} uses ${type}`).toBeDefined();
    }
  });

  it.each(listTemplates().map((t) => t.id))('%s compiles with its default parameters', (id) => {
    const graph = instantiate(id, required[id] ?? {});
    const validation = validateGraph(graph, registry);
    expect(validation.errors).toEqual([]);
    expect(placeholdersIn(graph.nodes.map((node) => node.config))).toEqual([]);
    const compiled = compileGraph(graph, registry);
    expect(compiled.ok).toBe(true);
  });

  it('puts schedule templates on a cron schedule, with the project in the scheduled data', () => {
    const graph = instantiate('weekly-client-status', { projectId: 'p-9', schedule: '30 7 * * FRI' });
    const trigger = graph.nodes.find((node) => node.type === 'trigger');
    expect(trigger?.config).toEqual({ kind: 'schedule', schedule: '30 7 * * FRI', data: { projectId: 'p-9' } });
    for (const id of ['overdue-invoice-reminder', 'memory-maintenance']) {
      const start = instantiate(id).nodes.find((node) => node.type === 'trigger');
      expect(start?.config).toMatchObject({ kind: 'schedule', schedule: expect.stringMatching(/^\S+( \S+){4}$/) });
    }
  });

  it('substitutes parameters as whole values and drops optional ones that were not given', () => {
    const graph = instantiate('invoice-approved-work', {
      account: 'studio',
      seller: { name: 'Park Studio', taxId: 'PT123' },
      currency: 'USD',
      hourlyRateMinor: 12_000,
    });
    const invoice = graph.nodes.find((node) => node.id === 'invoice');
    expect(invoice?.config).toMatchObject({ currency: 'USD', seller: { name: 'Park Studio', taxId: 'PT123' } });
    expect(invoice?.config.paymentTermsDays).toBe(30);
    const items = graph.nodes.find((node) => node.id === 'items');
    // projectId was not given: the node reads it from each run's data instead.
    expect(items?.config).toEqual({ defaultRateMinor: 12_000 });
    expect(instantiate('lead-intake', {}, { name: 'Leads from the site' }).name).toBe('Leads from the site');
  });

  it('refuses bad parameters, naming each field', () => {
    expect(() => instantiate('weekly-client-status', {})).toThrow(ValidationError);
    try {
      instantiate('invoice-approved-work', { account: 'studio', seller: { name: '' }, currency: 'euro', surprise: 1 });
      expect.unreachable();
    } catch (error) {
      const pointers = (error as ValidationError).errors.map((e) => e.pointer);
      expect(pointers).toEqual(
        expect.arrayContaining(['/parameters/seller/name', '/parameters/currency', '/parameters/surprise']),
      );
    }
    expect(() => instantiate('no-such-template')).toThrow(UnknownTemplateError);
    expect(getTemplate('no-such-template')).toBeUndefined();
  });

  it('hands out copies, so a caller cannot change the gallery', () => {
    const template = getTemplate('knowledge-base');
    template!.graph.nodes[0]!.config.kind = 'manual';
    expect(getTemplate('knowledge-base')?.graph.nodes[0]?.config.kind).toBe('document');
  });

  it('finds template files that name undeclared parameters or the wrong node list', () => {
    const broken = getTemplate('knowledge-base')!;
    broken.graph.nodes[2]!.config.maxChars = { $param: 'nope' };
    broken.nodes = ['trigger'];
    expect(templateProblems(broken)).toEqual([
      '/graph/nodes/2/config uses undeclared parameter "nope"',
      '/nodes lists trigger but the graph uses remember, transform, trigger',
    ]);
    expect(templateProblems({ id: 'X' })[0]).toMatch(/required|pattern/);
  });
});

describe('template parameters', () => {
  it('fills top-level defaults without sharing them between calls', () => {
    const schema = { properties: { a: { default: { list: [1] } }, b: {} } };
    const first = withDefaults(schema, {});
    (first.a as { list: number[] }).list.push(2);
    expect(withDefaults(schema, {})).toEqual({ a: { list: [1] } });
    expect(withDefaults(schema, { a: 5 })).toEqual({ a: 5 });
  });

  it('replaces only exact placeholders, and refuses an absent one inside a list', () => {
    const config = {
      x: { $param: 'x' },
      keep: { $param: 'x', other: 1 },
      list: [{ $param: 'y' }],
      gone: { $param: 'z' },
    };
    expect(substitute(config, { x: [1, 2], y: 'why' })).toEqual({
      x: [1, 2],
      keep: { $param: 'x', other: 1 },
      list: ['why'],
    });
    expect(() => substitute(config, { x: 1 })).toThrow(/\/list\/0 needs a parameter/);
  });
});
