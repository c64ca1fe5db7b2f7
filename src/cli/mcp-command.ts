/**
 * `okta-actions mcp`: the actions as an MCP server, over stdio (for a client that starts it) or, with
 * --http, over Streamable HTTP on 127.0.0.1 with a bearer token. The connection is the CLI's (a file or
 * the environment), or with --sandbox a local sandbox org started here.
 */
import type { CliIo } from './cli-io.js';
import { serveUntilStopped } from './sandbox-command.js';
import { UsageError } from './usage-error.js';

export interface McpCommand {
  http: boolean;
  port: number;
  /** The bearer token for --http: --token, else OKTA_ACTIONS_MCP_TOKEN, else one generated here. */
  token: string | undefined;
  /** Undefined with --sandbox: the sandbox's. */
  connection: Record<string, unknown> | undefined;
  allowLoopback: boolean;
  readOnly: boolean;
  actions: string[];
  categories: string[];
}

export async function serveMcp(command: McpCommand, io: CliIo): Promise<number> {
  const { selectActions } = await import('../mcp/tools.js');
  const selection = { readOnly: command.readOnly, actions: command.actions, categories: command.categories };
  let count: number;
  try {
    count = selectActions(selection).length;
  } catch (error) {
    throw new UsageError(`${(error as Error).message} List them with: okta-actions actions`);
  }
  if (count === 0)
    throw new UsageError('No action fits the selection (--read-only, --actions, --categories).');

  let sandbox: { url: string; token: string; close(): Promise<void> } | undefined;
  let connection = command.connection;
  if (!connection) {
    const { startSandbox } = await import('../sandbox/index.js');
    sandbox = await startSandbox();
    connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
    io.stderr(`Using a local sandbox org at ${sandbox.url}.\n`);
  }
  const options = {
    connection,
    hostOptions: { allowLoopback: command.allowLoopback || sandbox !== undefined },
    selection,
  };
  try {
    return command.http ? await serveHttp(command, options, count, io) : await serveStdio(options, count, io);
  } finally {
    await sandbox?.close();
  }
}

type ServerOptions = import('../mcp/server.js').McpServerOptions;

async function serveStdio(options: ServerOptions, count: number, io: CliIo): Promise<number> {
  const { createMcpServer } = await import('../mcp/server.js');
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const server = createMcpServer(options);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  io.stderr(`okta-actions MCP server on stdio: ${count} tools.\n`);
  await Promise.race([closed, io.untilStopped()]);
  await server.close();
  return 0;
}

async function serveHttp(
  command: McpCommand,
  options: ServerOptions,
  count: number,
  io: CliIo,
): Promise<number> {
  const { startMcpHttp } = await import('../mcp/http.js');
  const token = command.token ?? io.env.OKTA_ACTIONS_MCP_TOKEN;
  return serveUntilStopped(
    () => startMcpHttp({ ...options, port: command.port, token }),
    (server) => {
      io.stdout(`okta-actions MCP server: ${server.url} (${count} tools)\n`);
      if (token === undefined) {
        io.stderr(
          `Bearer token: ${server.token}\n(clients send it in the header Authorization: Bearer <token>)\n`,
        );
      }
      io.stderr('Only this machine can reach it, with the bearer token. Stop with Ctrl-C.\n');
    },
    command.port,
    io,
  );
}

/** A comma-separated option as a list (empty when not given). */
export function listOption(value: string | boolean | undefined): string[] {
  return typeof value === 'string' ? value.split(',').map((item) => item.trim()) : [];
}
