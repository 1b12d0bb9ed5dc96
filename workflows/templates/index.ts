// The template gallery: eleven solo-business workflows, one versioned JSON file each. The API
// lists them (GET /api/templates) and installs them on first start; `instantiate` turns one
// into a workflow graph with the user's parameters.
import { assertValid, fieldErrors, validatorFor, ValidationError } from '../../schemas/ajv.ts';
import { mailAccountId } from '../../schemas/mail-account.ts';
import { workflowGraphSchema, type WorkflowGraph } from '../../schemas/workflow-graph.ts';
import clientEmailTriage from './client-email-triage.json' with { type: 'json' };
import clientStatusQuestion from './client-status-question.json' with { type: 'json' };
import contentRepurposing from './content-repurposing.json' with { type: 'json' };
import invoiceApprovedWork from './invoice-approved-work.json' with { type: 'json' };
import knowledgeBase from './knowledge-base.json' with { type: 'json' };
import leadIntake from './lead-intake.json' with { type: 'json' };
import meetingNotesToTasks from './meeting-notes-to-tasks.json' with { type: 'json' };
import memoryMaintenance from './memory-maintenance.json' with { type: 'json' };
import overdueInvoiceReminder from './overdue-invoice-reminder.json' with { type: 'json' };
import { placeholdersIn, substitute, withDefaults } from './parameters.ts';
import scopeChange from './scope-change.json' with { type: 'json' };
import { templateSchema, type Template } from './template-schema.ts';
import weeklyClientStatus from './weekly-client-status.json' with { type: 'json' };

export type { Template } from './template-schema.ts';
export { templateSchema } from './template-schema.ts';

/** In gallery order: the flows a solo business meets first come first. */
const files: unknown[] = [
  clientEmailTriage,
  clientStatusQuestion,
  leadIntake,
  meetingNotesToTasks,
  weeklyClientStatus,
  invoiceApprovedWork,
  overdueInvoiceReminder,
  scopeChange,
  knowledgeBase,
  contentRepurposing,
  memoryMaintenance,
];

/** Why a template file is not usable; empty when it is. Checked once, when the gallery is first read. */
export function templateProblems(candidate: unknown): string[] {
  const validate = validatorFor(templateSchema);
  if (!validate(candidate)) return fieldErrors(validate.errors).map((e) => `${e.pointer} ${e.message}`);
  const template = candidate as Template;
  const problems: string[] = [];
  try {
    validatorFor(template.parameters);
  } catch (error) {
    problems.push(`/parameters is not a valid JSON Schema: ${(error as Error).message}`);
  }
  const declared = new Set(Object.keys(template.parameters.properties));
  template.graph.nodes.forEach((node, index) => {
    for (const name of placeholdersIn(node.config)) {
      if (!declared.has(name)) problems.push(`/graph/nodes/${index}/config uses undeclared parameter "${name}"`);
    }
  });
  problems.push(...mailNeedProblems(template));
  const used = [...new Set(template.graph.nodes.map((node) => node.type))].sort();
  if (JSON.stringify(used) !== JSON.stringify([...template.nodes].sort()))
    problems.push(`/nodes lists ${template.nodes.join(', ')} but the graph uses ${used.join(', ')}`);
  return problems;
}

/**
 * A template's mail needs must match its graph: each names a declared mail-account parameter, a
 * required one unless the need is optional, and every parameter a send-email node or an email
 * trigger takes its account from is listed.
 */
function mailNeedProblems(template: Template): string[] {
  const needs = template.needs?.mailAccounts ?? [];
  const properties = template.parameters.properties as Record<string, { pattern?: unknown } | undefined>;
  const required = new Set((template.parameters as { required?: string[] }).required ?? []);
  const problems: string[] = [];
  needs.forEach((need, index) => {
    const declared = properties[need.parameter];
    if (declared?.pattern !== mailAccountId.pattern)
      problems.push(`/needs/mailAccounts/${index} names "${need.parameter}", not a mail account parameter`);
    if (!need.optional && !required.has(need.parameter))
      problems.push(`/needs/mailAccounts/${index} needs "${need.parameter}" but the parameters do not require it`);
  });
  const listed = new Set(needs.map((need) => need.parameter));
  template.graph.nodes.forEach((node, index) => {
    const account = node.type === 'send-email' ? node.config.account : undefined;
    const source = node.type === 'trigger' && node.config.kind === 'email' ? node.config.source : undefined;
    for (const name of placeholdersIn([account, source])) {
      if (properties[name]?.pattern === mailAccountId.pattern && !listed.has(name))
        problems.push(
          `/graph/nodes/${index}/config takes a mail account from "${name}", missing from /needs/mailAccounts`,
        );
    }
    if (node.type === 'send-email' && placeholdersIn(account).length === 0)
      problems.push(`/graph/nodes/${index}/config/account must come from a mail account parameter`);
  });
  return problems;
}

let gallery: Template[] | undefined;

function loaded(): Template[] {
  if (gallery) return gallery;
  const templates = files.map((file) => {
    const problems = templateProblems(file);
    const id = (file as { id?: unknown }).id;
    if (problems.length > 0) throw new Error(`template ${String(id)} is invalid: ${problems.join('; ')}`);
    return file as Template;
  });
  const ids = templates.map((template) => template.id);
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  if (twice) throw new Error(`template id ${twice} is used twice`);
  gallery = templates;
  return gallery;
}

/** Every template, in gallery order (copies: callers may change them freely). */
export function listTemplates(): Template[] {
  return loaded().map((template) => structuredClone(template));
}

export function getTemplate(id: string): Template | undefined {
  const template = loaded().find((candidate) => candidate.id === id);
  return template && structuredClone(template);
}

export class UnknownTemplateError extends Error {
  override readonly name = 'UnknownTemplateError';
}

/**
 * The template's graph with the parameters filled in: defaults first, then the whole set
 * validated against the template's parameter schema (a ValidationError names each bad field
 * as `/parameters/...`), then every `{ "$param": name }` in a node config replaced by its value.
 */
export function instantiate(
  id: string,
  parameters: Record<string, unknown> = {},
  options: { name?: string } = {},
): WorkflowGraph {
  const template = loaded().find((candidate) => candidate.id === id);
  if (!template) throw new UnknownTemplateError(`no template "${id}"`);
  const values = withDefaults(template.parameters, parameters);
  assertValid(template.parameters, values, `parameters of template ${id}`, '/parameters');
  const graph: WorkflowGraph = {
    ...template.graph,
    name: options.name ?? template.graph.name,
    nodes: template.graph.nodes.map((node, index) => {
      try {
        return { ...node, config: substitute(node.config, values) as Record<string, unknown> };
      } catch (error) {
        throw new ValidationError(`template ${id}`, [
          { pointer: `/graph/nodes/${index}/config`, message: (error as Error).message },
        ]);
      }
    }),
  };
  assertValid<WorkflowGraph>(workflowGraphSchema, graph, `workflow from template ${id}`);
  return graph;
}
