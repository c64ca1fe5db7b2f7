/** An MCP client talking to the server module over the SDK's in-memory transport, on a test's sandbox. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  buildToolCatalog,
  type CatalogOptions,
  createMcpServer,
  type NamedConnection,
} from '../../src/mcp/server.js';
import type { ToolSelection } from '../../src/mcp/tools.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';

export interface ClientOptions {
  selection?: ToolSelection;
  /** The orgs to serve (default: the sandbox, as its admin, named "sandbox"). */
  connections?: NamedConnection[];
  /** Run test-connection first and hide what a connection cannot do (default true, as the CLI does). */
  checkCapabilities?: boolean;
  onConnectionUpdate?: CatalogOptions['onConnectionUpdate'];
  /** Answers elicitation requests (the client then declares the capability); without it, none. */
  elicit?: (message: string) => 'accept' | 'decline' | 'cancel';
}

export async function connectClient(sandbox: Sandbox, options: ClientOptions = {}) {
  const catalog = await buildToolCatalog({
    connections: options.connections ?? [{ name: 'sandbox', connection: sandboxConnection(sandbox) }],
    hostOptions: SANDBOX_HOST,
    selection: options.selection,
    checkCapabilities: options.checkCapabilities,
    onConnectionUpdate: options.onConnectionUpdate,
  });
  const server = createMcpServer(catalog);
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    { capabilities: options.elicit ? { elicitation: {} } : {} },
  );
  const asked: string[] = [];
  if (options.elicit) {
    const elicit = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const message = request.params.message;
      asked.push(message);
      const action = elicit(message);
      return action === 'accept' ? { action, content: { confirm: true } } : { action };
    });
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return { client, asked, catalog, close: () => client.close() };
}

/** The text of a tool answer's first content part. */
export function textOf(result: object): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[];
  return first?.text ?? '';
}
