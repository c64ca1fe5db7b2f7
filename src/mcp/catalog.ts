/**
 * What one MCP server serves, settled once when it starts: the named connections (one Okta org each), the
 * tools the selection keeps, and which connection may run which tool. test-connection's capability report
 * says, per connection, which actions cannot work (a scope the token lacks, no admin role, a feature the
 * org lacks): a tool no connection can run is left out of the list, and the explain-hidden-tools tool says
 * what was left out and why. An HTTP server builds this once and shares it between its sessions.
 */
import type { ActionContract } from '../manifest/manifest.js';
import type { ConnectionUpdate } from '../oauth/authorizer.js';
import type { HostOptions } from '../runtime/execute.js';
import { testConnection } from '../runtime/test-connection.js';
import { CONNECTION_NAME, CONNECTION_NAME_RULE } from './connection-name.js';
import { type ConnectionReport, explainTool } from './explain-tool.js';

export type { ConnectionReport } from './explain-tool.js';

import { type McpTool, selectActions, type ToolSelection, toolOf } from './tools.js';

/** An Okta org the server acts on, by the name tools use for it. */
export interface NamedConnection {
  name: string;
  connection: Record<string, unknown>;
}

export interface CatalogOptions {
  connections: readonly NamedConnection[];
  hostOptions?: HostOptions;
  selection?: ToolSelection;
  /** Run test-connection on each connection and hide what it cannot do (default true). */
  checkCapabilities?: boolean;
  /**
   * OAuth tokens a call refreshed for a connection (and the connection before): store them where it came
   * from, as Okta rotates refresh tokens and the stored one is spent. The server uses them from then on.
   */
  onConnectionUpdate?: (name: string, update: ConnectionUpdate, before: Record<string, unknown>) => void;
}

export interface ToolCatalog {
  tools: McpTool[];
  /** Every selected action by key, listed or not (a hidden one is refused with its reason). */
  actions: Map<string, ActionContract>;
  /** The connections, by name, in the order given. */
  connections: Map<string, Record<string, unknown>>;
  /** Action key → the names of the connections expected to run it. */
  runnableBy: Map<string, string[]>;
  reports: ConnectionReport[];
  /** How many actions the server's own options (--read-only, --actions, --categories) left out. */
  leftOutBySelection: number;
  hostOptions: HostOptions;
  onConnectionUpdate?: CatalogOptions['onConnectionUpdate'];
}

export async function buildToolCatalog(options: CatalogOptions): Promise<ToolCatalog> {
  const connections = checkedConnections(options.connections);
  const hostOptions = options.hostOptions ?? {};
  // test-connection may refresh an OAuth token: its refresh token is then spent, and the new one must be used.
  const renew = (name: string, update: ConnectionUpdate) => {
    const before = connections.get(name)!;
    connections.set(name, { ...before, ...update });
    options.onConnectionUpdate?.(name, update, before);
  };
  const selected = selectActions(options.selection ?? {});
  const selectedKeys = new Set(selected.map((action) => action.key));
  const reports = await Promise.all(
    options.connections.map(async (named) => {
      if (options.checkCapabilities === false) return untested(named.name);
      const tested = await report(named, hostOptions, renew);
      // Only what the selection serves: an action left out by the server's options is not "hidden".
      return { ...tested, hidden: tested.hidden.filter((h) => selectedKeys.has(h.tool)) };
    }),
  );
  const runnableBy = new Map(
    selected.map((action) => [
      action.key,
      reports.filter((r) => !r.hidden.some((h) => h.tool === action.key)).map((r) => r.name),
    ]),
  );
  const listed = selected.filter((action) => (runnableBy.get(action.key) ?? []).length > 0);
  const names = [...connections.keys()];
  const tools = listed.map((action) =>
    toolOf(
      action,
      listed,
      names.length > 1 ? { names: runnableBy.get(action.key) ?? [], reports } : undefined,
    ),
  );
  tools.push(explainTool(names.length > 1));
  return {
    tools,
    actions: new Map(selected.map((action) => [action.key, action])),
    connections,
    runnableBy,
    reports,
    leftOutBySelection: selectActions({}).length - selected.length,
    hostOptions,
    ...(options.onConnectionUpdate ? { onConnectionUpdate: options.onConnectionUpdate } : {}),
  };
}

function checkedConnections(named: readonly NamedConnection[]): Map<string, Record<string, unknown>> {
  if (named.length === 0) throw new Error('The MCP server needs at least one connection.');
  const connections = new Map<string, Record<string, unknown>>();
  for (const { name, connection } of named) {
    if (!CONNECTION_NAME.test(name)) {
      throw new Error(`The connection name "${name}" is not usable: ${CONNECTION_NAME_RULE}.`);
    }
    if (connections.has(name))
      throw new Error(`Two connections are named "${name}": name each one differently.`);
    connections.set(name, connection);
  }
  return connections;
}

function untested(name: string): ConnectionReport {
  return { name, tested: undefined, message: 'Not tested: every selected tool is listed.', hidden: [] };
}

/** test-connection on one connection; a failed test hides nothing (the calls will say what is wrong). */
async function report(
  named: NamedConnection,
  hostOptions: HostOptions,
  renew: (name: string, update: ConnectionUpdate) => void,
): Promise<ConnectionReport> {
  const result = await testConnection(named.connection, hostOptions);
  if (result.connectionUpdate) renew(named.name, result.connectionUpdate);
  const hidden = result.ok
    ? (result.details.actions ?? [])
        .filter((capability) => capability.expected === 'no')
        .map((capability) => ({
          tool: capability.key,
          reason: capability.reason ?? 'test-connection says no',
        }))
    : [];
  return {
    name: named.name,
    tested: result.ok,
    message: result.ok
      ? result.message
      : `${result.message} Nothing is hidden: each call will say what is wrong.`,
    ...(result.details.orgUrl ? { orgUrl: result.details.orgUrl } : {}),
    hidden,
  };
}
