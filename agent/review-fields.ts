// A node's review fields ("decision", "reviewer": how send-email, remember or project-record learn
// that a person approved) are the workflow's to set, never the model's: a model that wrote
// `decision: "approved"` into send-email's arguments would send mail nobody approved. They are
// left out of the schema the model sees, dropped from its arguments, and set only from a real
// approval of the call (policy "ask").

const REVIEW_FIELDS = ['decision', 'reviewer'] as const;

type JsonObject = Record<string, unknown>;

/** The node's input schema without its review fields: what the model is offered. */
export function withoutReviewFields<T extends object>(input: T): T {
  const schema = input as JsonObject;
  const properties = schema.properties as JsonObject | undefined;
  if (!properties || !REVIEW_FIELDS.some((field) => field in properties)) return input;
  const kept = Object.fromEntries(
    Object.entries(properties).filter(([name]) => !(REVIEW_FIELDS as readonly string[]).includes(name)),
  );
  const required = Array.isArray(schema.required)
    ? (schema.required as string[]).filter((name) => !(REVIEW_FIELDS as readonly string[]).includes(name))
    : undefined;
  return { ...schema, properties: kept, ...(required ? { required } : {}) } as T;
}

/** The arguments a node tool runs with: the model's, minus review fields, plus the person's approval if any. */
export function nodeToolInput(
  args: JsonObject,
  approval: { decision: 'approved' | 'edited'; reviewer: string } | undefined,
): JsonObject {
  const input = Object.fromEntries(
    Object.entries(args).filter(([name]) => !(REVIEW_FIELDS as readonly string[]).includes(name)),
  );
  return approval ? { ...input, decision: approval.decision, reviewer: approval.reviewer } : input;
}
