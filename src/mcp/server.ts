/**
 * The MCP server (the official SDK's low-level Server, so the manifest's JSON Schemas go to clients as they
 * are): every selected action is a tool, and every call goes through execute() on the one connection the
 * server was given. The connection never appears in an answer.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { manifest } from '../manifest/manifest.js';
import type { HostOptions } from '../runtime/execute.js';
import { errorAnswer } from './answers.js';
import { callTool } from './call-tool.js';
import { selectActions, type ToolSelection, toolOf } from './tools.js';

export interface McpServerOptions {
  connection: Record<string, unknown>;
  hostOptions?: HostOptions;
  selection?: ToolSelection;
}

export function createMcpServer(options: McpServerOptions): Server {
  const selected = selectActions(options.selection ?? {});
  const byName = new Map(selected.map((action) => [action.key, action]));
  const tools = selected.map((action) => toolOf(action, selected));
  const server = new Server(
    { name: manifest.name, title: manifest.title, version: manifest.version },
    {
      capabilities: { tools: {} },
      instructions:
        'Okta administration tools. Read tools change nothing. Destructive tools show their plan and need the person to confirm. List tools answer a small page: continue with cursor = nextCursor.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const action = byName.get(request.params.name);
    if (!action) {
      return errorAnswer({
        code: 'UNKNOWN_TOOL',
        message: `There is no tool "${request.params.name}" on this server (list them with tools/list).`,
      });
    }
    const canAsk = server.getClientCapabilities()?.elicitation !== undefined;
    return callTool(action, request.params.arguments, {
      connection: options.connection,
      hostOptions: options.hostOptions ?? {},
      signal: extra.signal,
      confirm: canAsk
        ? async (message) => {
            const answer = await server.elicitInput({
              message,
              requestedSchema: {
                type: 'object',
                properties: { confirm: { type: 'boolean', title: 'Run it', description: 'Yes, run it.' } },
                required: ['confirm'],
              },
            });
            return answer.action === 'accept' && answer.content?.confirm === true;
          }
        : undefined,
    });
  });
  return server;
}
