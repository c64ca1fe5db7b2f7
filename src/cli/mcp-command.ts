/**
 * `okta-actions mcp`: the actions as an MCP server, over stdio (for a client that starts it) or, with
 * --http, over Streamable HTTP on 127.0.0.1 with a bearer token. The orgs are the CLI's connections (one
 * or more files, or the environment), or with --sandbox a local sandbox org started here. Each connection
 * is tested before serving, so that tools it cannot run are hidden and the person hears why at once.
 */
import { basename, extname } from 'node:path';
import { CONNECTION_NAME, CONNECTION_NAME_RULE } from '../mcp/connection-name.js';
import type { NamedConnection, ToolCatalog } from '../mcp/server.js';
import type { CliIo } from './cli-io.js';
import { keepRefreshedTokens, readConnection } from './command-input.js';
import { parseJsonObject, readTextFile } from './json-input.js';
import type { OptionValues } from './options.js';
import { serveUntilStopped } from './sandbox-command.js';
import { UsageError } from './usage-error.js';

export interface McpCommand {
  http: boolean;
  port: number;
  /** The bearer token for --http: --token, else OKTA_ACTIONS_MCP_TOKEN, else one generated here. */
  token: string | undefined;
  /** Undefined with --sandbox: the sandbox's. */
  connections: FileConnection[] | undefined;
  allowLoopback: boolean;
  readOnly: boolean;
  actions: string[];
  categories: string[];
}

/** A named connection, and the file it came from (where refreshed tokens go back). */
export interface FileConnection extends NamedConnection {
  file?: string;
}

/** `name=file.json` names a connection; a bare `file.json` is named after its file. */
const NAMED_FILE = /^([^=/\\]+)=(.+)$/;

/** The connections --connection names (each file read and named), or the environment's, named "default". */
export async function readNamedConnections(values: OptionValues, io: CliIo): Promise<FileConnection[]> {
  const given = values.connection === undefined ? [] : [values.connection].flat();
  if (given.length === 0) return [{ name: 'default', connection: await readConnection({}, io) }];
  const connections: FileConnection[] = [];
  for (const spec of given) {
    const named = NAMED_FILE.exec(spec);
    const file = named ? named[2]! : spec;
    const name = named ? named[1]! : basename(file, extname(file));
    if (!CONNECTION_NAME.test(name)) {
      throw new UsageError(
        `The connection name "${name}" (from --connection ${spec}) is not usable: ${CONNECTION_NAME_RULE}. Name it: --connection <name>=${file}.`,
      );
    }
    if (connections.some((other) => other.name === name)) {
      throw new UsageError(
        `Two connections are named "${name}": name them, like --connection prod=${file} --connection test=other.json.`,
      );
    }
    const connection = await parseJsonObject(await readTextFile(file, io.readFile), {
      what: 'the connection',
      where: `the connection file ${file}`,
    });
    connections.push({ name, connection, file });
  }
  return connections;
}

export async function serveMcp(command: McpCommand, io: CliIo): Promise<number> {
  const { buildToolCatalog } = await import('../mcp/server.js');
  const { selectActions } = await import('../mcp/tools.js');
  const selection = { readOnly: command.readOnly, actions: command.actions, categories: command.categories };
  try {
    if (selectActions(selection).length === 0)
      throw new UsageError('No action fits the selection (--read-only, --actions, --categories).');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${(error as Error).message} List them with: okta-actions actions`);
  }

  let sandbox: { url: string; token: string; close(): Promise<void> } | undefined;
  let connections = command.connections;
  if (!connections) {
    const { startSandbox } = await import('../sandbox/index.js');
    sandbox = await startSandbox();
    connections = [
      {
        name: 'sandbox',
        connection: { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token },
      },
    ];
    io.stderr(`Using a local sandbox org at ${sandbox.url}.\n`);
  }
  const files = new Map(connections.map((c) => [c.name, c.file]));
  try {
    const catalog = await buildToolCatalog({
      connections,
      hostOptions: { allowLoopback: command.allowLoopback || sandbox !== undefined },
      selection,
      onConnectionUpdate: (name, update, before) => {
        void keepRefreshedTokens(update, before, files.get(name), io);
      },
    });
    reportConnections(catalog, io);
    return command.http ? await serveHttp(command, catalog, io) : await serveStdio(catalog, io);
  } finally {
    await sandbox?.close();
  }
}

/** What each connection's test found, on stderr (stdout is the protocol's, over stdio). */
function reportConnections(catalog: ToolCatalog, io: CliIo): void {
  for (const report of catalog.reports) {
    const hidden = report.hidden.length;
    io.stderr(
      `Connection ${report.name}: ${report.message}${hidden > 0 ? ` ${hidden} tool${hidden === 1 ? ' is' : 's are'} hidden for it (explain-hidden-tools says why).` : ''}\n`,
    );
  }
}

function toolCount(catalog: ToolCatalog): number {
  return catalog.tools.length;
}

async function serveStdio(catalog: ToolCatalog, io: CliIo): Promise<number> {
  const { createMcpServer } = await import('../mcp/server.js');
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const server = createMcpServer(catalog);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  io.stderr(`okta-actions MCP server on stdio: ${toolCount(catalog)} tools.\n`);
  await Promise.race([closed, io.untilStopped()]);
  await server.close();
  return 0;
}

async function serveHttp(command: McpCommand, catalog: ToolCatalog, io: CliIo): Promise<number> {
  const { startMcpHttp } = await import('../mcp/http.js');
  const token = command.token ?? io.env.OKTA_ACTIONS_MCP_TOKEN;
  return serveUntilStopped(
    () => startMcpHttp({ catalog, port: command.port, token }),
    (server) => {
      io.stdout(`okta-actions MCP server: ${server.url} (${toolCount(catalog)} tools)\n`);
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
