import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinNodes, createBuiltinRegistry } from '../../nodes/builtins.ts';
import { loadPlugins } from '../../nodes/plugins.ts';
import { checkDefinition, NodeDefinitionError } from '../../nodes/sdk/registry.ts';
import { validatorFor } from '../../schemas/ajv.ts';

const testsRoot = path.resolve(import.meta.dirname, '..');
const testSources = ['unit', 'integration', 'e2e']
  .flatMap((folder) =>
    readdirSync(path.join(testsRoot, folder))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => path.join(testsRoot, folder, name)),
  )
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

describe('built-in node registry', () => {
  it('registers every built-in once, by type and version', () => {
    const registry = createBuiltinRegistry();
    expect(registry.list().map((node) => `${node.type}@${node.version}`)).toEqual(
      builtinNodes.map((node) => `${node.type}@${node.version}`).sort(),
    );
  });

  for (const node of builtinNodes) {
    describe(`${node.type}@${node.version}`, () => {
      it('declares config, input and output as JSON Schemas that compile', () => {
        for (const part of [node.config, node.input, node.output]) {
          expect(part).toMatchObject({ type: 'object' });
          expect(() => validatorFor(part)).not.toThrow();
        }
      });

      it('round-trips its examples through the config and input validators', () => {
        expect(node.examples?.length ?? 0).toBeGreaterThan(0);
        for (const example of node.examples ?? []) {
          const roundTripped = JSON.parse(JSON.stringify(example)) as typeof example;
          expect(validatorFor(node.config)(roundTripped.config), `config of "${example.title ?? ''}"`).toBe(true);
          expect(validatorFor(node.input)(roundTripped.input), `input of "${example.title ?? ''}"`).toBe(true);
        }
      });

      it('is exercised by a test file', () => {
        const type = node.type.replace(/[.-]/g, '\\$&');
        // Named in a graph or a call, or its module imported directly.
        expect(testSources).toMatch(new RegExp(`['"\`]${type}['"\`]|nodes/${type}/`));
      });
    });
  }

  it('refuses a second registration of the same type and version, naming both origins', () => {
    const registry = createBuiltinRegistry();
    const transform = builtinNodes.find((node) => node.type === 'transform');
    expect(() => registry.register(transform!, 'plugin x')).toThrow(NodeDefinitionError);
    expect(() => registry.register(transform!, 'plugin x')).toThrow('transform@1 is already registered by builtin');
  });

  it('names the field of a definition that does not fit the node-definition schema', () => {
    expect(checkDefinition({ type: 'Bad Type', version: 0 })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/type /), expect.stringMatching(/^\/version /)]),
    );
  });
});

describe('plugin loading', () => {
  function pluginDir(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-plugins-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  }
  const sdk = JSON.stringify(path.resolve(testsRoot, '../nodes/sdk/define-node.ts'));
  const good = `import { defineNode } from ${sdk};
export default defineNode({
  type: 'acme.shout', version: 1, title: 'Shout', description: 'Upper-cases text.', category: 'logic',
  config: { type: 'object', properties: {} },
  input: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
  output: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
  execution: { kind: 'local', timeoutMs: 1000, retry: { maximumAttempts: 1 } },
  sideEffects: false,
}, async (input) => ({ output: { text: String(input.text).toUpperCase() } }));
`;

  it('loads good plugins and refuses bad ones with their reasons, without throwing', async () => {
    const dir = pluginDir({
      'good.ts': good, // files load in name order: good.ts before later-clash.ts
      'invalid.ts': `export default { type: 'acme.broken', version: 1, title: 'Broken' };`,
      'throws.ts': `throw new Error('plugin exploded at import');`,
      'empty.ts': `export const answer = 42;`,
      'later-clash.ts': good.replace("'Shout'", "'Shout again'"),
    });
    const registry = createBuiltinRegistry();
    const report = await loadPlugins(registry, { dir, packages: ['trellis-plugin-that-does-not-exist'] });

    expect(report.loaded).toEqual(['acme.shout@1']);
    const reasons = Object.fromEntries(report.refused.map(({ source, reason }) => [path.basename(source), reason]));
    expect(reasons['later-clash.ts']).toContain('acme.shout@1 is already registered by plugin');
    expect(reasons['invalid.ts']).toMatch(/\/description|\/category|\/config/);
    expect(reasons['throws.ts']).toContain('cannot be imported: plugin exploded at import');
    expect(reasons['empty.ts']).toBe('exports no node definitions');
    expect(reasons['npm:trellis-plugin-that-does-not-exist']).toMatch(/^cannot be imported/);

    const shout = registry.get('acme.shout', 1);
    expect(await shout?.run?.({ text: 'hi' }, {}, {} as never)).toEqual({ output: { text: 'HI' } });
  });
});
