import { sha256Hex } from '../../lib/sha256.ts';
import { createClient, findClientByAddress, getClient, type Client } from '../../store/clients.ts';
import { createProject, getProject, type Project } from '../../store/projects.ts';
import type { Queryable } from '../../store/db.ts';
import type { RunFn } from '../sdk/define-node.ts';
import { declined } from '../project-record/decision.ts';
import type { ClientIntakeConfig, ClientIntakeInput, ClientIntakeOutput } from './definition.ts';
import { leadFrom } from './lead.ts';

/** The same key always names the same row, so a retry finds what the first attempt created. */
function derivedId(key: string, what: string): string {
  return `${what}-${sha256Hex(`${key}/${what}`).slice(0, 24)}`;
}

function outputOf(client: Client, existing: boolean, project: Project): ClientIntakeOutput {
  return {
    created: true,
    clientId: client.id,
    projectId: project.id,
    client: { id: client.id, name: client.name, emails: client.emails, existing },
    project: { id: project.id, name: project.name, status: project.status, clientId: client.id },
  };
}

export const runClientIntake: RunFn<ClientIntakeConfig, ClientIntakeInput, ClientIntakeOutput> = async (
  input,
  config,
  context,
) => {
  if (declined(input.decision)) {
    const reason = `the review was ${input.decision}: no client or project created`;
    return { output: { created: false, reason }, meta: { notes: [reason] } };
  }
  const { event } = input;
  const lead = leadFrom(event, input.extraction, config.projectName);
  const clientId = derivedId(context.idempotencyKey, 'client');
  const projectId = derivedId(context.idempotencyKey, 'project');

  const result = await context.services.db.transaction(async (tx: Queryable) => {
    const known = (lead.email && (await findClientByAddress(tx, lead.email))) || (await getClient(tx, clientId));
    // Two attempts racing on the same key collide on the derived id; the loser's retry finds the rows.
    const client =
      known ??
      (await createClient(tx, {
        id: clientId,
        name: lead.clientName,
        emails: lead.email ? [lead.email] : [],
        metadata: {
          source: `${event.source.uri}@${event.source.version}`,
          ...(lead.contactName ? { contact: lead.contactName } : {}),
        },
      }));
    const project =
      (await getProject(tx, projectId)) ??
      (await createProject(tx, {
        id: projectId,
        clientId: client.id,
        name: lead.projectName,
        status: config.projectStatus ?? 'lead',
        threadIds: event.threadId ? [event.threadId] : [],
        metadata: { lead: lead.details, eventId: event.id, runId: context.workflowId },
      }));
    return { client, existing: known !== undefined && known.id !== clientId, project };
  });
  const { client, existing, project } = result;
  return {
    output: outputOf(client, existing, project),
    meta: {
      notes: [
        `${existing ? 'existing' : 'new'} client ${client.name} (${client.id})`,
        `project "${project.name}" (${project.id}) as ${project.status}`,
      ],
    },
  };
};
