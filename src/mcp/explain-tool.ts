/**
 * explain-hidden-tools: the one tool that is not an action. It tells an agent (and the person behind it)
 * which tools this server leaves out and why, so that a missing tool is never a mystery: the server's own
 * options, and per connection what test-connection found it cannot do.
 */
import type { McpTool } from './tools.js';

export const EXPLAIN_TOOL = 'explain-hidden-tools';

const TITLE = 'Explain hidden tools';

/** What the server learned about one connection when it started. */
export interface ConnectionReport {
  name: string;
  /** True or false once tested; undefined when the server was told not to test. */
  tested: boolean | undefined;
  /** test-connection's sentence, or why nothing was tested. */
  message: string;
  orgUrl?: string;
  /** Tools this connection cannot run, and why (from the capability report). */
  hidden: { tool: string; reason: string }[];
}

/** What explain-hidden-tools answers from. */
export interface HiddenFacts {
  tools: readonly { name: string }[];
  leftOutBySelection: number;
  reports: readonly ConnectionReport[];
}

const outputSchema = {
  type: 'object',
  required: ['toolsListed', 'leftOutBySelection', 'connections'],
  properties: {
    toolsListed: { type: 'integer', description: 'Action tools this server lists.' },
    leftOutBySelection: {
      type: 'integer',
      description: 'Actions the server was started without (--read-only, --actions, --categories).',
    },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'message', 'hidden'],
        properties: {
          name: { type: 'string' },
          tested: { type: 'boolean', description: 'Whether test-connection succeeded; absent when not run.' },
          message: { type: 'string' },
          orgUrl: { type: 'string' },
          hidden: {
            type: 'array',
            description: 'Tools this connection cannot run, and why.',
            items: {
              type: 'object',
              required: ['tool', 'reason'],
              properties: { tool: { type: 'string' }, reason: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;

export function explainTool(severalConnections: boolean): McpTool {
  return {
    name: EXPLAIN_TOOL,
    title: TITLE,
    description: [
      'Says which Okta tools this server does not offer and why: tools left out when the server was started (read-only, allow lists), and tools a connection cannot run (a scope its token lacks, no admin role, a feature the org lacks), as test-connection found when the server started.',
      severalConnections
        ? 'A tool hidden for one connection may still be listed for another: its connection argument names the ones that can run it.'
        : '',
      'Use it when a tool you expected is missing, before asking the person to change the connection.',
    ]
      .filter(Boolean)
      .join('\n'),
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: outputSchema as unknown as McpTool['outputSchema'],
    annotations: {
      title: TITLE,
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      // It reads what the server learned when it started, not Okta.
      openWorldHint: false,
    },
  };
}

/** explain-hidden-tools' answer, from what the server learned when it started. */
export function explainHidden(catalog: HiddenFacts): Record<string, unknown> {
  return {
    toolsListed: catalog.tools.filter((tool) => tool.name !== EXPLAIN_TOOL).length,
    leftOutBySelection: catalog.leftOutBySelection,
    connections: catalog.reports.map((report) => ({
      name: report.name,
      ...(report.tested !== undefined ? { tested: report.tested } : {}),
      message: report.message,
      ...(report.orgUrl ? { orgUrl: report.orgUrl } : {}),
      hidden: report.hidden,
    })),
  };
}
