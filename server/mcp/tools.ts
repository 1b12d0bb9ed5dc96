// The tools Trellis offers an MCP client, each a thin call of one API route with its JSON Schema:
// reading (workflows, runs and their ledgers, the review queue, memory, clients, projects, metrics) and
// acting (start a run, decide a review, ingest an event, file a client or a project). Scopes are the API's:
// a read-only token that calls an acting tool gets the API's 403 back as the tool's error.
import { reviewKinds, reviewStates } from '../../schemas/review-task.ts';
import { memoryKinds } from '../../schemas/memory-record.ts';
import { runStates } from '../lib/runs.ts';
import { idString, safeId } from '../schemas/common.ts';
import { sourceName } from '../schemas/ingest.ts';
import { createClientBody, createProjectBody, listProjectsQuery } from '../schemas/source-of-truth.ts';
import { startRunBody } from '../schemas/workflows.ts';
import { query, type ApiCaller, type ApiReply } from './api.ts';

export interface TrellisTool {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, unknown>; required?: readonly string[] };
  /** Changes something (needs an `act` token); the others only read. */
  acts: boolean;
  call(args: Record<string, unknown>, api: ApiCaller): Promise<ApiReply>;
}

const object = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) }) as const;
const segment = (value: unknown) => encodeURIComponent(String(value));

export const tools: TrellisTool[] = [
  {
    name: 'list_workflows',
    title: 'List workflows',
    description:
      'The workflows, with their published version and trigger; `search` keeps those whose name or id contains it.',
    inputSchema: object({ search: { type: 'string', maxLength: 200 }, includeArchived: { type: 'boolean' } }),
    acts: false,
    async call(args, api) {
      const reply = await api('GET', `/workflows${query({ includeArchived: args.includeArchived })}`);
      const search = typeof args.search === 'string' ? args.search.toLowerCase() : '';
      if (!search || reply.status !== 200) return reply;
      const body = reply.body as { workflows: { id: string; name?: string }[] };
      const matches = (w: { id: string; name?: string }) => `${w.id} ${w.name ?? ''}`.toLowerCase().includes(search);
      return { ...reply, body: { ...body, workflows: body.workflows.filter(matches) } };
    },
  },
  {
    name: 'get_workflow',
    title: 'Get a workflow',
    description: 'One workflow: its draft graph, published version and trigger.',
    inputSchema: object({ workflowId: safeId }, ['workflowId']),
    acts: false,
    call: (args, api) => api('GET', `/workflows/${segment(args.workflowId)}`),
  },
  {
    name: 'start_run',
    title: 'Start a run',
    description:
      "Starts a run of a published workflow. `input` is checked against the workflow's trigger; the same " +
      '`idempotencyKey` returns the first run instead of starting another.',
    inputSchema: object({ workflowId: safeId, ...startRunBody.properties }, ['workflowId', 'input']),
    acts: true,
    call: ({ workflowId, ...body }, api) => api('POST', `/workflows/${segment(workflowId)}/runs`, body),
  },
  {
    name: 'list_runs',
    title: 'List runs',
    description: 'Recent runs, newest first, optionally of one workflow or in one state.',
    inputSchema: object({
      workflowId: safeId,
      status: { enum: runStates },
      limit: { type: 'integer', minimum: 1, maximum: 100 },
      pageToken: { type: 'string', maxLength: 4000, pattern: '^[A-Za-z0-9_-]*$' },
    }),
    acts: false,
    call: (args, api) => api('GET', `/runs${query(args)}`),
  },
  {
    name: 'get_run',
    title: 'Get a run',
    description: "A run's state, its steps so far and what waits for a person.",
    inputSchema: object({ runId: safeId }, ['runId']),
    acts: false,
    call: (args, api) => api('GET', `/runs/${segment(args.runId)}`),
  },
  {
    name: 'get_run_ledger',
    title: "Get a run's ledger",
    description: 'Every step of a run from its Temporal history: inputs, outputs, decisions, costs and timings.',
    inputSchema: object({ runId: safeId }, ['runId']),
    acts: false,
    call: (args, api) => api('GET', `/runs/${segment(args.runId)}/ledger`),
  },
  {
    name: 'list_reviews',
    title: 'List review tasks',
    description:
      'What waits for a person (state "pending" by default), with what the system proposed and why it asked.',
    inputSchema: object({
      state: { enum: reviewStates },
      kind: { enum: reviewKinds },
      workflowId: safeId,
      limit: { type: 'integer', minimum: 1, maximum: 500 },
      offset: { type: 'integer', minimum: 0 },
    }),
    acts: false,
    call: (args, api) => api('GET', `/reviews${query({ state: 'pending', ...args })}`),
  },
  {
    name: 'decide_review',
    title: 'Decide a review task',
    description:
      'Approves the proposed value, edits it (`value` is what goes on) or rejects it (`note` says why). ' +
      'The run waiting on the task continues.',
    inputSchema: {
      ...object(
        {
          taskId: idString,
          decision: { enum: ['approved', 'edited', 'rejected'] },
          value: { description: 'Required when the decision is "edited": the value that goes on.' },
          note: { type: 'string', maxLength: 5000 },
          reviewer: { type: 'string', minLength: 1, maxLength: 200, description: 'Who decided (default: operator).' },
          digest: {
            type: 'string',
            pattern: '^[0-9a-f]{64}$',
            description:
              'For a task approving an agent’s tool call: its context.digest. A decision naming another call is refused.',
          },
        },
        ['taskId', 'decision'],
      ),
    },
    acts: true,
    call: ({ taskId, reviewer, ...decision }, api) =>
      api('POST', `/reviews/${segment(taskId)}/decision`, { reviewer: reviewer ?? 'operator', ...decision }),
  },
  {
    name: 'search_memory',
    title: 'Search memory',
    description: 'Facts Trellis remembers, best first, each with its provenance (run, node, source event, confidence).',
    inputSchema: object(
      {
        q: { type: 'string', minLength: 1, maxLength: 2000 },
        projectId: idString,
        clientId: idString,
        kinds: { type: 'array', maxItems: 20, items: { enum: memoryKinds } },
        k: { type: 'integer', minimum: 1, maximum: 100 },
      },
      ['q'],
    ),
    acts: false,
    call: (args, api) => api('GET', `/memory/search${query(args)}`),
  },
  {
    name: 'ingest_event',
    title: 'Ingest an event',
    description:
      'Feeds a message into a configured source as if it had arrived there: an object is sent as JSON, a ' +
      'string as `contentType` (message/rfc822 for an email). Stored before it is routed; the same ' +
      '`idempotencyKey` returns the first event.',
    inputSchema: object(
      {
        source: sourceName,
        content: { type: ['object', 'string'], description: 'The body: a JSON object, or text such as an email.' },
        contentType: { type: 'string', maxLength: 200, pattern: '^[a-z]+/[a-z0-9.+-]+$' },
        idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
      },
      ['source', 'content'],
    ),
    acts: true,
    call: ({ source, content, contentType, idempotencyKey }, api) =>
      api('POST', `/ingest/${segment(source)}`, content, {
        ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey as string } } : {}),
        ...(typeof content === 'string' ? { contentType: (contentType as string | undefined) ?? 'text/plain' } : {}),
      }),
  },
  {
    name: 'list_clients',
    title: 'List clients',
    description: 'Clients in the source of truth; `search` matches name, email or domain.',
    inputSchema: object({
      search: { type: 'string', maxLength: 200 },
      limit: { type: 'integer', minimum: 1, maximum: 500 },
    }),
    acts: false,
    call: (args, api) => api('GET', `/clients${query(args)}`),
  },
  {
    name: 'get_client',
    title: 'Get a client',
    description: 'One client with its projects.',
    inputSchema: object({ clientId: idString }, ['clientId']),
    acts: false,
    call: (args, api) => api('GET', `/clients/${segment(args.clientId)}`),
  },
  {
    name: 'create_client',
    title: 'Create a client',
    description: 'Files a new client (name, the addresses and domains its mail comes from).',
    inputSchema: object(createClientBody.properties, ['name']),
    acts: true,
    call: (args, api) => api('POST', '/clients', args),
  },
  {
    name: 'list_projects',
    title: 'List projects',
    description: 'Projects, optionally of one client or in one state.',
    inputSchema: object({
      clientId: listProjectsQuery.properties.clientId,
      status: listProjectsQuery.properties.status,
      limit: { type: 'integer', minimum: 1, maximum: 500 },
    }),
    acts: false,
    call: (args, api) => api('GET', `/projects${query(args)}`),
  },
  {
    name: 'get_project',
    title: 'Get a project',
    description: 'One project with its records (scope, decisions, deliverables).',
    inputSchema: object({ projectId: idString }, ['projectId']),
    acts: false,
    call: (args, api) => api('GET', `/projects/${segment(args.projectId)}`),
  },
  {
    name: 'create_project',
    title: 'Create a project',
    description: 'Files a new project, for a client when `clientId` is given.',
    inputSchema: object(createProjectBody.properties, ['name']),
    acts: true,
    call: (args, api) => api('POST', '/projects', args),
  },
  {
    name: 'get_metrics',
    title: 'Operator metrics',
    description: 'Runs, review load, automation rate, costs and failures over a recent window.',
    inputSchema: object({}),
    acts: false,
    call: (_args, api) => api('GET', '/metrics'),
  },
];
