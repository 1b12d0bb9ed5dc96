// Which fields of a node tool's input the model may write. A node's review fields ("decision", "reviewer": how send-email, remember or project-record learn
// that a person approved) are the workflow's to set, never the model's: a model that wrote
// `decision: "approved"` into send-email's arguments would send mail nobody approved. They are
// left out of the schema the model sees, dropped from its arguments, and set only from a real
// approval of the call (policy "ask").

const REVIEW_FIELDS = ['decision', 'reviewer'] as const;

type JsonObject = Record<string, unknown>;

/** The node's input schema without its review fields: what the model is offered. */
export function withoutReviewFields<T extends object>(input: T): T {
  return withoutPorts(input, REVIEW_FIELDS);
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

/**
 * The agent's own inputs a node tool takes by the same port (its `event`: the email a send-email
 * tool answers). The model cannot write them out, so they are bound: not offered, always the agent's.
 */
const BINDABLE_PORTS = ['event'] as const;

export function boundPorts(toolInput: object, agentInput: JsonObject): string[] {
  const properties = (toolInput as JsonObject).properties as JsonObject | undefined;
  return BINDABLE_PORTS.filter((port) => properties && port in properties && agentInput[port] !== undefined);
}

export function withoutPorts<T extends object>(input: T, ports: readonly string[]): T {
  const schema = input as JsonObject;
  const properties = schema.properties as JsonObject | undefined;
  if (!properties || ports.length === 0) return input;
  const required = Array.isArray(schema.required)
    ? (schema.required as string[]).filter((name) => !ports.includes(name))
    : undefined;
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !ports.includes(name))),
    ...(required ? { required } : {}),
  } as T;
}

/** The bound ports' values from the agent's input, over whatever the model wrote for them. */
export function withBoundInputs(args: JsonObject, ports: readonly string[] | undefined, agentInput: JsonObject) {
  if (!ports?.length) return args;
  return { ...args, ...Object.fromEntries(ports.map((port) => [port, agentInput[port]])) };
}

/**
 * The arguments of a call as the tool offered them: reserved fields (review fields, bound ports)
 * the tool's offered schema does not have are dropped before the call is shown, digested or run.
 */
export function offeredArguments(args: JsonObject, parameters: object | undefined): JsonObject {
  const offered = ((parameters as JsonObject | undefined)?.properties ?? {}) as JsonObject;
  const reserved = [...REVIEW_FIELDS, ...BINDABLE_PORTS] as readonly string[];
  return Object.fromEntries(Object.entries(args).filter(([name]) => !reserved.includes(name) || name in offered));
}
