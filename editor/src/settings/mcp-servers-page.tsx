// Settings › MCP servers: the external MCP servers workflows call tools of (mcp-tool node), how
// each is reached, the names of its secret settings (never their values), and its tools on demand.
// Registering and changing servers is done through the API for now (docs/mcp.md).
import type { FromSchema } from 'json-schema-to-ts';
import { useState } from 'react';
import { api, describeError } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { McpServer } from '../../../schemas/mcp-server.ts';
import type { toolsReply } from '../../../server/routes/mcp-servers/schemas.ts';
import { EmptyState } from '../ui/empty-state.tsx';
import { LoadState, Page } from '../ui/page.tsx';

type ToolList = FromSchema<typeof toolsReply>;

const one = (id: string) => `/mcp-servers/${encodeURIComponent(id)}`;

function reachedBy(server: McpServer): string {
  return server.transport === 'stdio' ? [server.command ?? '', ...(server.args ?? [])].join(' ') : (server.url ?? '');
}

function McpServerRow({ server }: { server: McpServer }) {
  const [loading, setLoading] = useState(false);
  const [tools, setTools] = useState<ToolList['tools'] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const secretNames = server.transport === 'stdio' ? server.envNames : server.headerNames;

  const listTools = async () => {
    setLoading(true);
    setError(undefined);
    try {
      setTools((await api.get<ToolList>(`${one(server.id)}/tools`)).tools);
    } catch (reason) {
      setTools(undefined);
      setError(describeError(reason));
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <tr data-mcp-server={server.id}>
        <th scope="row">{server.name}</th>
        <td>
          <div>{server.transport}</div>
          <div className="muted small">
            <code>{reachedBy(server)}</code>
          </div>
        </td>
        <td className="muted small">{secretNames?.length ? secretNames.join(', ') : 'none'}</td>
        <td className="cell-actions">
          <button type="button" className="btn" onClick={() => void listTools()} disabled={loading}>
            {loading ? 'Connecting…' : 'List tools'}
          </button>
        </td>
      </tr>
      {tools || error ? (
        <tr data-mcp-server-tools={server.id}>
          <td colSpan={4}>
            {error ? (
              <p role="alert" className="error-text small">
                {error}
              </p>
            ) : null}
            {tools ? (
              <ul className="small">
                {tools.map((tool) => (
                  <li key={tool.name}>
                    <code>{tool.name}</code>
                    {tool.description ? <span className="muted"> — {tool.description}</span> : null}
                  </li>
                ))}
                {tools.length === 0 ? <li className="muted">This server offers no tools.</li> : null}
              </ul>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function McpServersPage() {
  const servers = useApi<{ servers: McpServer[] }>('/mcp-servers');
  const list = servers.data?.servers ?? [];
  return (
    <Page title="MCP servers">
      <p className="muted">
        External MCP servers whose tools workflows call with the MCP tool node. Their tokens are stored sealed and shown
        here by name only.
      </p>
      <LoadState loading={servers.loading && !servers.data} error={servers.error} />
      {servers.data && list.length === 0 ? (
        <EmptyState title="No MCP server registered">
          <p>
            Register one with <code>POST /api/mcp-servers</code> (see the API docs); it then appears here.
          </p>
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <table className="table mcp-servers">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Reached by</th>
              <th scope="col">Secret settings</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((server) => (
              <McpServerRow key={server.id} server={server} />
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
