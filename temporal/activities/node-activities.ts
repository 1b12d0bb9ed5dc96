import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { fieldErrors, validatorFor, ValidationError } from '../../schemas/ajv.ts';
import { NodeInputError, type NodeServices } from '../../nodes/sdk/context.ts';
import { nodeKey, type NodeDefinition } from '../../nodes/sdk/define-node.ts';
import type { NodeRegistry } from '../../nodes/sdk/registry.ts';
import { compensationActivityName, nodeActivityName } from '../workflows/activity-names.ts';
import type { NodeActivityArgs, NodeActivityResult } from '../workflows/run-types.ts';

/** Bad input or config will not get better on retry: fail the activity for good, naming the fields. */
function assertBoundary(definition: NodeDefinition, part: 'config' | 'input' | 'output', value: unknown): void {
  const validate = validatorFor(definition[part]);
  if (validate(value)) return;
  const errors = fieldErrors(validate.errors, `/${part}`);
  throw ApplicationFailure.create({
    type: 'ValidationError',
    nonRetryable: true,
    message: `${nodeKey(definition.type, definition.version)} ${part} is invalid: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`,
    details: [errors],
  });
}

/** Errors that retrying cannot fix fail the activity for good, keeping their message. */
function finalOrRetryable(error: unknown): unknown {
  if (error instanceof ValidationError || error instanceof NodeInputError) {
    return ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
  }
  return error;
}

function runNode(definition: NodeDefinition, services: NodeServices) {
  return async (args: NodeActivityArgs): Promise<NodeActivityResult> => {
    const run = definition.run;
    if (!run) throw ApplicationFailure.nonRetryable(`${nodeKey(definition.type, definition.version)} has no code`);
    assertBoundary(definition, 'config', args.node.config);
    assertBoundary(definition, 'input', args.input);
    const activity = Context.current();
    const outcome = await callRun(run, args, {
      workflowId: args.run.workflowId,
      runId: args.run.runId,
      nodeId: args.node.id,
      attempt: activity.info.attempt,
      idempotencyKey: args.run.idempotencyKey,
      services,
      signal: activity.cancellationSignal,
      heartbeat: (details?: unknown) => activity.heartbeat(details),
      log: (message, fields) => {
        activity.log.info(message, { nodeId: args.node.id, ...fields });
      },
    });
    const meta = {
      ...(outcome.meta ? { meta: outcome.meta } : {}),
      ...(args.run.clientId ? { clientId: args.run.clientId } : {}),
    };
    // The node id is echoed so the ledger can tell apart local activities of the same type.
    if ('human' in outcome)
      return { nodeId: args.node.id, human: outcome.human, outputSchema: definition.output, ...meta };
    assertBoundary(definition, 'output', outcome.output);
    return { nodeId: args.node.id, output: outcome.output as Record<string, unknown>, ...meta };
  };
}

async function callRun(
  run: NonNullable<NodeDefinition['run']>,
  args: NodeActivityArgs,
  context: Parameters<NonNullable<NodeDefinition['run']>>[2],
) {
  try {
    return await run(args.input, args.node.config, context);
  } catch (error) {
    throw finalOrRetryable(error);
  }
}

/** One activity per registered node type and version (`node:extract@1`), so histories name what ran. */
export function createNodeActivities(registry: NodeRegistry, services: NodeServices) {
  const activities: Record<string, (args: never) => Promise<unknown>> = {};
  for (const definition of registry.list()) {
    if (definition.run)
      activities[nodeActivityName(definition.type, definition.version)] = runNode(definition, services);
    const compensate = definition.compensate;
    if (compensate) {
      activities[compensationActivityName(definition.type, definition.version)] = async (args: {
        node: NodeActivityArgs['node'];
        output: Record<string, unknown>;
      }) => {
        await compensate(args.output, args.node.config, services);
        return { compensated: true };
      };
    }
  }
  return activities;
}
