/**
 * The MCP server (the official SDK's low-level Server, so the manifest's JSON Schemas go to clients as they
 * are): every tool of the catalog, and every call through execute() on the connection it names (or the one
 * connection). A connection never appears in an answer, and a call never reaches another than its own.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { manifest } from '../manifest/manifest.js';
import { errorAnswer, outputAnswer, type ToolAnswer } from './answers.js';
import { callTool } from './call-tool.js';
import type { ToolCatalog } from './catalog.js';
import { EXPLAIN_TOOL, explainHidden } from './explain-tool.js';
import { playbookPrompts, promptMessages } from './prompts.js';

export type { CatalogOptions, NamedConnection, ToolCatalog } from './catalog.js';
export { buildToolCatalog } from './catalog.js';

export function createMcpServer(catalog: ToolCatalog): Server {
  const server = new Server(
    { name: manifest.name, title: manifest.title, version: manifest.version },
    { capabilities: { tools: {}, prompts: {} }, instructions: instructions(catalog) },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: catalog.tools }));
  servePrompts(server, new Set(catalog.tools.map((tool) => tool.name)));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    if (name === EXPLAIN_TOOL) return outputAnswer(explainHidden(catalog));
    const { connection: connectionName, ...args } = request.params.arguments ?? {};
    const target = targetOf(catalog, name, connectionName);
    if ('error' in target) return target.error;
    const canAsk = server.getClientCapabilities()?.elicitation !== undefined;
    return callTool(target.action, args, {
      connection: target.connection,
      hostOptions: catalog.hostOptions,
      signal: extra.signal,
      confirm: canAsk ? (message) => askToConfirm(server, message) : undefined,
      onConnectionUpdate: (update) => {
        const before = catalog.connections.get(target.name) ?? target.connection;
        catalog.connections.set(target.name, { ...before, ...update });
        catalog.onConnectionUpdate?.(target.name, update, before);
      },
    });
  });
  return server;
}

/** The playbooks whose tools this server lists; a wrong name or argument is the client's error, said as such. */
function servePrompts(server: Server, listed: ReadonlySet<string>): void {
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: playbookPrompts(listed).map(({ tools: _tools, ...prompt }) => prompt),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    try {
      return { ...promptMessages(request.params.name, request.params.arguments ?? {}, listed) };
    } catch (error) {
      throw new McpError(ErrorCode.InvalidParams, (error as Error).message);
    }
  });
}

function instructions(catalog: ToolCatalog): string {
  const names = [...catalog.connections.keys()];
  return [
    'Okta administration tools. Read tools change nothing. Destructive tools show their plan and need the person to confirm. List tools answer a small page: continue with cursor = nextCursor.',
    names.length > 1
      ? `This server acts on ${names.length} Okta orgs (${names.join(', ')}): every tool takes connection, the org to act on.`
      : '',
    `If a tool you need is missing, call ${EXPLAIN_TOOL}.`,
  ]
    .filter(Boolean)
    .join(' ');
}

type Target =
  | {
      action: NonNullable<ReturnType<ToolCatalog['actions']['get']>>;
      name: string;
      connection: Record<string, unknown>;
    }
  | { error: ToolAnswer };

/** The action and the connection a call names, or the answer that refuses it (nothing is sent then). */
function targetOf(catalog: ToolCatalog, name: string, connectionName: unknown): Target {
  const action = catalog.actions.get(name);
  if (!action) {
    return fail('UNKNOWN_TOOL', `There is no tool "${name}" on this server (list them with tools/list).`);
  }
  const names = [...catalog.connections.keys()];
  const chosen = names.length === 1 && connectionName === undefined ? names[0] : connectionName;
  if (typeof chosen !== 'string' || !catalog.connections.has(chosen)) {
    return fail(
      'INVALID_INPUT',
      `connection must name one of this server's connections: ${names.join(', ')}${connectionName === undefined ? ' (none was given)' : ''}.`,
    );
  }
  const hidden = catalog.reports.find((r) => r.name === chosen)?.hidden.find((h) => h.tool === name);
  if (hidden) {
    return fail(
      'TOOL_HIDDEN',
      `${name} cannot run with the connection ${chosen}: ${hidden.reason}. Nothing was sent (${EXPLAIN_TOOL} lists what is hidden).`,
    );
  }
  return { action, name: chosen, connection: catalog.connections.get(chosen)! };
}

function fail(code: string, message: string): { error: ToolAnswer } {
  return { error: errorAnswer({ code, message }) };
}

async function askToConfirm(server: Server, message: string): Promise<boolean> {
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
