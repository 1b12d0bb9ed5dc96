// Trellis as an MCP client: reach an external MCP server, list its tools, call one. No import of
// server/ or nodes/: the API and the mcp-tool node both stand on this.
export {
  callTool,
  listTools,
  textOf,
  type McpCallOptions,
  type McpToolCall,
  type McpToolInfo,
  type McpToolResult,
} from './call-tool.ts';
export { redact, secretValuesOf, type HttpConnection, type McpConnection, type StdioConnection } from './connection.ts';
export { McpCallError, type McpFailureKind } from './errors.ts';
