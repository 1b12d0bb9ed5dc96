import type { TemplateNeeds } from '../../schemas/template-needs.ts';
import type { WorkflowGraph } from '../../schemas/workflow-graph.ts';
import type { Db } from '../../store/db.ts';
import { createWorkflow, installedTemplateIds, type StoredWorkflow } from '../../store/workflows.ts';

// The template gallery lives in workflows/templates (its own module). The server reads it
// through this interface, loaded on first use so that the API works while it is absent.

export interface Template {
  id: string;
  version: number;
  title: string;
  description: string;
  nodes: string[];
  /** JSON Schema of the parameters `instantiate` takes. */
  parameters: Record<string, unknown>;
  /** What it needs besides its nodes (mail accounts), for the gallery to say so. */
  needs?: TemplateNeeds;
  graph: WorkflowGraph;
}

export interface TemplatesModule {
  listTemplates(): Template[];
  instantiate(id: string, parameters: Record<string, unknown>): WorkflowGraph;
}

// Built at run time so the type checker does not require the module to exist.
const modulePath = new URL('../../workflows/templates/index.ts', import.meta.url).href;

let loaded: Promise<TemplatesModule | undefined> | undefined;

/** The templates module, or undefined when workflows/templates is not there (yet). */
export function loadTemplates(): Promise<TemplatesModule | undefined> {
  loaded ??= import(modulePath).then(
    (module: Partial<TemplatesModule>) =>
      typeof module.listTemplates === 'function' && typeof module.instantiate === 'function'
        ? (module as TemplatesModule)
        : undefined,
    (error: unknown) => {
      loaded = undefined;
      if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
      throw error;
    },
  );
  return loaded;
}

/** A template's default parameters: each property's `default`, so a first start needs no answers. */
export function defaultParameters(template: Template): Record<string, unknown> {
  const properties = (template.parameters.properties ?? {}) as Record<string, { default?: unknown }>;
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([, schema]) => schema.default !== undefined)
      .map(([name, schema]) => [name, schema.default]),
  );
}

/**
 * Creates a workflow for each template never installed before (an archived one counts, so a
 * deleted template stays deleted). Concurrent first starts serialise on an advisory lock.
 */
export async function installTemplates(
  db: Db,
  templates: TemplatesModule,
  log: (line: string) => void = () => {},
): Promise<StoredWorkflow[]> {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtextextended('trellis:install-templates', 0))");
    const installed = await installedTemplateIds(tx);
    const created: StoredWorkflow[] = [];
    for (const template of templates.listTemplates()) {
      if (installed.has(template.id)) continue;
      // Parameters with defaults need no answer; a template that needs one (a project, the
      // seller) is installed as its draft with the placeholders, to be filled in before publishing.
      let graph: WorkflowGraph;
      let description = template.description;
      try {
        graph = templates.instantiate(template.id, defaultParameters(template));
      } catch (error) {
        graph = template.graph;
        description = `${template.description} (Needs its parameters before publishing: ${(error as Error).message})`;
        log(`template ${template.id} installed as a draft: ${(error as Error).message}`);
      }
      created.push(
        await createWorkflow(tx, { name: graph.name || template.title, description, graph, templateId: template.id }),
      );
    }
    return created;
  });
}
