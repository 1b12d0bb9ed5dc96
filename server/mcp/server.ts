// Trellis as an MCP server (the official SDK's low-level Server, so that the tools' input schemas
// are the API's JSON Schemas as they are). Arguments are checked against them first: a bad one is
// a tool error naming the field; the API's own refusals (scope, not found, conflict) come back the
// same way, never as a stack trace. One instance per connection or request: it holds no state.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { fieldErrors, validatorFor } from '../../schemas/ajv.ts';
import { refusal, type ApiCaller } from './api.ts';
import { listResources, readResource, resourceTemplates } from './resources.ts';
import { tools } from './tools.ts';

const toolError = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

export function createMcpServer(api: ApiCaller, version: string): Server {
  const server = new Server(
    { name: 'trellis', title: 'Trellis', version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        "Trellis runs a one-person company's workflows. Read tools list workflows, runs and ledgers, the " +
        'review queue, memory, clients and projects; acting tools (start_run, decide_review, ingest_event, create_client, create_project) ' +
        'need a token with the "act" scope.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      annotations: { title: tool.title, readOnlyHint: !tool.acts, destructiveHint: false, openWorldHint: false },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = tools.find((t) => t.name === request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `no tool named "${request.params.name}"`);
    const args = request.params.arguments ?? {};
    const validate = validatorFor(tool.inputSchema);
    if (!validate(args)) {
      const fields = fieldErrors(validate.errors).map((e) => `${e.pointer} ${e.message}`);
      return toolError(`${tool.name}: invalid arguments: ${fields.join('; ')}`);
    }
    const reply = await tool.call(args, api);
    if (reply.status >= 400) return toolError(`${tool.name}: ${refusal(reply)}`);
    const body = reply.body ?? {};
    return {
      content: [{ type: 'text', text: JSON.stringify(body, null, 2) }],
      ...(typeof body === 'object' && !Array.isArray(body)
        ? { structuredContent: body as Record<string, unknown> }
        : {}),
    };
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: await listResources(api) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: resourceTemplates.map((t) => ({ ...t })),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    const reply = await readResource(uri, api);
    if (!reply) throw new McpError(ErrorCode.InvalidParams, `no Trellis resource at ${uri}`);
    if (reply.status >= 400) throw new McpError(ErrorCode.InvalidParams, `${uri}: ${refusal(reply)}`);
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(reply.body, null, 2) }] };
  });
  return server;
}
