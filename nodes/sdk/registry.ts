import { fieldErrors, validatorFor } from '../../schemas/ajv.ts';
import { nodeDefinitionSchema } from '../../schemas/node-definition.ts';
import { nodeKey, type NodeDefinition } from './define-node.ts';

export class NodeDefinitionError extends Error {
  readonly source: string;
  readonly reasons: string[];
  constructor(source: string, reasons: string[]) {
    super(`node definition from ${source} refused: ${reasons.join('; ')}`);
    this.name = 'NodeDefinitionError';
    this.source = source;
    this.reasons = reasons;
  }
}

/** Why a definition cannot be registered; empty when it can. */
export function checkDefinition(candidate: unknown): string[] {
  const validate = validatorFor(nodeDefinitionSchema);
  if (!validate(candidate)) return fieldErrors(validate.errors).map((e) => `${e.pointer} ${e.message}`);
  const definition = candidate as NodeDefinition;
  const reasons: string[] = [];
  const needsCode = definition.execution.kind === 'activity' || definition.execution.kind === 'local';
  if (needsCode && typeof definition.run !== 'function')
    reasons.push(`/run must be a function for ${definition.execution.kind} nodes`);
  for (const [name, schema] of Object.entries({
    config: definition.config,
    input: definition.input,
    output: definition.output,
  })) {
    try {
      validatorFor(schema);
    } catch (error) {
      reasons.push(`/${name} is not a valid JSON Schema: ${(error as Error).message}`);
    }
  }
  (definition.examples ?? []).forEach((example, index) => {
    for (const part of ['config', 'input'] as const) {
      const validate = validatorFor(definition[part]);
      if (!validate(example[part])) {
        const errors = fieldErrors(validate.errors, `/examples/${index}/${part}`);
        reasons.push(...errors.map((e) => `${e.pointer} ${e.message}`));
      }
    }
  });
  return reasons;
}

/** Node types by `{type, version}`: built-ins first, then plugins. Saved graphs pin both. */
export class NodeRegistry {
  readonly #nodes = new Map<string, NodeDefinition & { origin: string }>();

  register(definition: NodeDefinition, origin = 'builtin'): void {
    const reasons = checkDefinition(definition);
    if (reasons.length > 0) throw new NodeDefinitionError(origin, reasons);
    const key = nodeKey(definition.type, definition.version);
    const existing = this.#nodes.get(key);
    if (existing) throw new NodeDefinitionError(origin, [`${key} is already registered by ${existing.origin}`]);
    this.#nodes.set(key, { ...definition, origin });
  }

  get(type: string, version: number): NodeDefinition | undefined {
    return this.#nodes.get(nodeKey(type, version));
  }

  /** The highest version of a type, which the palette offers for new nodes. */
  latest(type: string): NodeDefinition | undefined {
    return this.list()
      .filter((definition) => definition.type === type)
      .sort((a, b) => b.version - a.version)[0];
  }

  list(): (NodeDefinition & { origin: string })[] {
    return [...this.#nodes.values()].sort((a, b) => a.type.localeCompare(b.type) || a.version - b.version);
  }

  /** Serialisable view for the editor's palette: everything but the code. */
  palette(): Omit<NodeDefinition, 'run'>[] {
    return this.list().map(({ run: _run, ...data }) => data);
  }
}
