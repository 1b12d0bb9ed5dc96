import type { FromSchema } from 'json-schema-to-ts';
import { DRAFT_2020_12, idString, SCHEMA_BASE } from '../../schemas/common.ts';
import { sourceKinds } from '../../schemas/event.ts';
import { intents } from '../../nodes/sdk/ports.ts';

const target = {
  workflowId: { ...idString, title: 'Workflow' },
  version: { type: 'integer', minimum: 1, title: 'Pinned version' },
  inputMapping: {
    type: 'string',
    minLength: 1,
    maxLength: 5000,
    title: 'Input mapping (JSONata)',
    description:
      'Evaluated with the event as input; must give { event?, data? }, the run\'s trigger. Default: { "event": $ }.',
  },
} as const;

/** One routing rule: what it matches, how sure the classifier must be, and where the event goes. */
export const routingRuleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'minConfidence', 'workflowId', 'version'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$', title: 'Rule id' },
    description: { type: 'string', maxLength: 500 },
    intent: { enum: intents, title: 'Intent', description: 'Absent: any intent.' },
    sourceKind: { enum: sourceKinds, title: 'Source kind', description: 'Absent: any source.' },
    clientId: { ...idString, title: 'Client', description: 'Absent: any client.' },
    projectId: { ...idString, title: 'Project', description: 'Absent: any project.' },
    minConfidence: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      title: 'Minimum intent confidence',
      description: 'Below it the event goes to triage instead.',
    },
    ...target,
  },
} as const;

/**
 * The router's rules as data: evaluated in order, the first match decides, then the default.
 * Stored as numbered versions in `control_rule_sets`; a draft goes live by promoting a canary report.
 */
export const ruleSetSchema = {
  $schema: DRAFT_2020_12,
  $id: `${SCHEMA_BASE}/control/routing-rule-set.json`,
  title: 'RoutingRuleSet',
  type: 'object',
  additionalProperties: false,
  required: ['rules', 'default'],
  properties: {
    rules: { type: 'array', maxItems: 500, items: routingRuleSchema },
    default: {
      title: 'When no rule matches',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['triage'],
          properties: { triage: { const: true } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['workflowId', 'version'],
          properties: target,
        },
      ],
    },
    note: { type: 'string', maxLength: 2000 },
  },
} as const;

export type RoutingRule = FromSchema<typeof routingRuleSchema>;
export type RuleSetBody = FromSchema<typeof ruleSetSchema>;
export type DefaultRoute = RuleSetBody['default'];
