// Small shapes shared by several contracts. They carry no `$id` of their own: they are
// embedded by value, so every contract stays one self-contained schema.

export const idString = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const timestamp = { type: 'string', format: 'date-time' } as const;

export const confidence = { type: 'number', minimum: 0, maximum: 1 } as const;

/** Where a fact came from, at which version: `mailto:…`, `doc://…`, `webhook://…`. */
export const sourcePointer = {
  type: 'object',
  additionalProperties: false,
  required: ['uri', 'version'],
  properties: {
    uri: { type: 'string', minLength: 1, maxLength: 2000 },
    version: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

/** Which run and node produced a record, and which human if a human did. */
export const provenance = {
  type: 'object',
  additionalProperties: false,
  required: ['workflowId', 'nodeId'],
  properties: {
    /** The Temporal workflow id of the run that wrote it (Trellis calls a run by this id). */
    workflowId: idString,
    nodeId: idString,
    reviewer: { type: 'string', maxLength: 200 },
  },
} as const;

/** Drops `$id` from a schema so it can be embedded in another without Ajv seeing two ids. */
export function embed<S extends { $id: string }>(schema: S): Omit<S, '$id' | '$schema'> {
  const { $id: _id, $schema: _schema, ...rest } = schema as S & { $schema?: string };
  return rest;
}

export const SCHEMA_BASE = 'https://trellis.local/schemas';
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
