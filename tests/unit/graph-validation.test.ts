import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../nodes/builtins.ts';
import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';
import { checkCompatibility } from '../../workflows/compatibility.ts';
import { compileGraph } from '../../workflows/compile.ts';
import { validateGraph } from '../../workflows/validate.ts';
import { graph } from '../support/graph-builder.ts';

const registry = createBuiltinRegistry();

function errorsOf(g: WorkflowGraph) {
  return validateGraph(g, registry).errors;
}

const reviewConfig = { instructions: 'Check', timeoutMinutes: 60, onTimeout: 'reject' };

describe('checkCompatibility', () => {
  it('accepts the same shape and an integer where a number is expected', () => {
    expect(checkCompatibility({ type: 'integer' }, { type: 'number' }).ok).toBe(true);
    const obj = { type: 'object', required: ['a'], properties: { a: { type: 'string' } } };
    expect(checkCompatibility(obj, obj).ok).toBe(true);
  });

  it('refuses a different type and names it', () => {
    const result = checkCompatibility({ type: 'string' }, { type: 'object' });
    expect(result).toMatchObject({ ok: false, reason: 'the output produces string where object is expected' });
  });

  it('refuses an output that may lack a property the input requires', () => {
    const source = { type: 'object', properties: { text: { type: 'string' } } };
    const target = { type: 'object', required: ['text'], properties: { text: { type: 'string' } } };
    expect(checkCompatibility(source, target)).toMatchObject({ ok: false, path: '/text' });
  });

  it('refuses values outside the accepted enum, and a free string where an enum is expected', () => {
    expect(checkCompatibility({ enum: ['a', 'b'] }, { enum: ['a'] })).toMatchObject({ ok: false });
    expect(checkCompatibility({ type: 'string' }, { enum: ['a'] })).toMatchObject({ ok: false });
    expect(checkCompatibility({ const: 'a' }, { enum: ['a', 'b'] }).ok).toBe(true);
  });

  it('checks array items and union branches', () => {
    expect(
      checkCompatibility({ type: 'array', items: { type: 'string' } }, { type: 'array', items: { type: 'number' } }),
    ).toMatchObject({
      ok: false,
      path: '/items',
    });
    expect(checkCompatibility({ anyOf: [{ type: 'string' }, { type: 'number' }] }, { type: 'string' }).ok).toBe(false);
    expect(checkCompatibility({ type: 'string' }, { anyOf: [{ type: 'number' }, { type: 'string' }] }).ok).toBe(true);
  });

  it('lets an untyped output through with a warning, and resolves $ref', () => {
    expect(checkCompatibility({}, { type: 'string' })).toMatchObject({
      ok: true,
      warning: expect.stringContaining('untyped'),
    });
    const resolve = (ref: string) => (ref === 'x.json' ? { type: 'string' } : undefined);
    expect(checkCompatibility({ $ref: 'x.json' }, { type: 'number' }, resolve).ok).toBe(false);
  });
});

describe('validateGraph', () => {
  const start = ['start', 'trigger', { kind: 'manual' }] as [string, string, Record<string, unknown>];

  it('accepts a well-formed graph with no errors', () => {
    const g = graph(
      'ok',
      [start, ['t', 'transform', { expression: '$' }], ['r', 'human-review', reviewConfig]],
      ['start.data -> t.value', 't.value -> r.value'],
    );
    expect(validateGraph(g, registry)).toMatchObject({ ok: true, errors: [] });
  });

  it('names an unknown type or version', () => {
    const g = graph(
      'unknown',
      [start, ['x', 'no-such-node'], ['y', 'transform', { expression: '$' }, 9]],
      ['start.data -> x.value', 'start.data -> y.value'],
    );
    expect(
      errorsOf(g)
        .filter((e) => e.code === 'unknown-node-type')
        .map((e) => e.nodeId),
    ).toEqual(['x', 'y']);
  });

  it('names the node and the JSON pointer of an invalid config', () => {
    const g = graph(
      'config',
      [start, ['r', 'human-review', { ...reviewConfig, timeoutMinutes: -5 }]],
      ['start.data -> r.value'],
    );
    expect(errorsOf(g)).toContainEqual(
      expect.objectContaining({ code: 'invalid-config', nodeId: 'r', pointer: '/timeoutMinutes' }),
    );
    const missing = graph('config', [start, ['t', 'transform', {}]], ['start.data -> t.value']);
    expect(errorsOf(missing)).toContainEqual(
      expect.objectContaining({ code: 'invalid-config', nodeId: 't', pointer: '/expression' }),
    );
  });

  it('refuses an edge whose output does not fit the input, naming node, port and reason', () => {
    // A transform's untyped value may go anywhere; the trigger's data object may not feed extract's event.
    const g = graph('types', [start, ['x', 'extract', {}]], ['start.data -> x.event']);
    const error = errorsOf(g).find((e) => e.code === 'incompatible-edge');
    expect(error).toMatchObject({ nodeId: 'x', port: 'event' });
    expect(error?.message).toMatch(/start\.data → x\.event/);
  });

  it('refuses unknown ports', () => {
    const g = graph(
      'ports',
      [start, ['t', 'transform', { expression: '$' }]],
      ['start.nope -> t.value', 'start.data -> t.missing'],
    );
    expect(
      errorsOf(g)
        .filter((e) => e.code === 'unknown-port')
        .map((e) => [e.nodeId, e.port]),
    ).toEqual([
      ['start', 'nope'],
      ['t', 'missing'],
    ]);
  });

  it('finds cycles', () => {
    const g = graph(
      'cycle',
      [start, ['a', 'transform', { expression: '$' }], ['b', 'transform', { expression: '$' }]],
      ['start.data -> a.value', 'a.value -> b.value', 'b.value -> a.value'],
    );
    expect(
      errorsOf(g)
        .filter((e) => e.code === 'cycle')
        .map((e) => e.nodeId),
    ).toEqual(['a', 'b']);
  });

  it('finds nodes the trigger cannot reach', () => {
    const g = graph(
      'island',
      [
        start,
        ['a', 'transform', { expression: '$' }],
        ['b', 'transform', { expression: '$' }],
        ['c', 'transform', { expression: '$' }],
      ],
      ['start.data -> a.value', 'b.value -> c.value'],
    );
    expect(
      errorsOf(g)
        .filter((e) => e.code === 'unreachable')
        .map((e) => e.nodeId),
    ).toEqual(['b', 'c']);
  });

  it('names a required input left unwired', () => {
    const g = graph(
      'unwired',
      [start, ['a', 'transform', { expression: '$' }], ['r', 'human-review', reviewConfig]],
      ['start.data -> a.value', 'a.value -> r.context'],
    );
    expect(errorsOf(g)).toContainEqual(expect.objectContaining({ code: 'missing-input', nodeId: 'r', port: 'value' }));
  });

  it('refuses a second trigger and a graph without one', () => {
    const two = graph('two', [start, ['again', 'trigger', { kind: 'manual' }]], []);
    expect(errorsOf(two)).toContainEqual(expect.objectContaining({ code: 'multiple-triggers', nodeId: 'again' }));
    const none = graph('none', [['a', 'transform', { expression: '$' }]], []);
    expect(errorsOf(none).map((e) => e.code)).toContain('no-trigger');
  });

  it('reports a malformed graph by JSON pointer instead of throwing', () => {
    const result = validateGraph({ name: '', nodes: [{ id: '1bad' }], edges: 'x' }, registry);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(['/name', '/edges']));
  });
});

describe('compileGraph', () => {
  const g = graph(
    'branchy',
    [
      ['start', 'trigger', { kind: 'manual' }],
      ['test', 'condition', { test: 'x > 1' }],
      ['yes', 'transform', { expression: '$' }],
      ['no', 'transform', { expression: '$' }],
      ['join', 'transform', { expression: '$' }],
    ],
    [
      'start.data -> test.value',
      'test.true -> yes.value',
      'test.false -> no.value',
      'yes.value -> join.value',
      'no.value -> join.value',
    ],
  );

  it('gives a topological order, joins, and local execution for pure nodes', () => {
    const result = compileGraph(g, registry);
    if (!result.ok) throw new Error('should compile');
    expect(result.plan.order).toEqual(['start', 'test', 'no', 'yes', 'join']);
    const join = result.plan.nodes.find((n) => n.id === 'join');
    expect(join?.inputs[0]?.sources).toEqual([
      { node: 'yes', port: 'value' },
      { node: 'no', port: 'value' },
    ]);
    expect(join?.dependsOn).toEqual(['no', 'yes']);
    expect(join?.kind).toBe('local');
  });

  it('hashes the content: positions do not matter, config does', () => {
    const moved = { ...g, nodes: g.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 7 } })) };
    const changed = { ...g, nodes: g.nodes.map((n) => (n.id === 'test' ? { ...n, config: { test: 'x > 2' } } : n)) };
    const hash = (graphToHash: WorkflowGraph) => {
      const result = compileGraph(graphToHash, registry);
      return result.ok ? result.plan.hash : '';
    };
    expect(hash(moved)).toBe(hash(g));
    expect(hash(changed)).not.toBe(hash(g));
    expect(hash(g)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('expressions in node config', () => {
  it('refuses a transform or condition expression that does not parse, naming node, field and expression', () => {
    const g = graph(
      'expressions',
      [
        ['start', 'trigger', { kind: 'manual' }],
        ['shape', 'transform', { expression: '(((((' }],
        ['branch', 'condition', { test: 'amount >' }],
        ['fine', 'transform', { expression: '$sum(items.amount)' }],
      ],
      ['start.data -> shape.value', 'shape.value -> branch.value', 'start.data -> fine.value'],
    );
    const errors = errorsOf(g).filter((error) => error.code === 'invalid-expression');
    expect(errors).toEqual([
      {
        code: 'invalid-expression',
        nodeId: 'shape',
        pointer: '/expression',
        message:
          'Node "shape" config /expression: expression "(((((" does not parse: Expected ")" before end of expression (at character 5)',
      },
      expect.objectContaining({ nodeId: 'branch', pointer: '/test', message: expect.stringContaining('"amount >"') }),
    ]);
  });
});
