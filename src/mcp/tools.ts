/**
 * The MCP tools, generated from the manifest: one per selected action, its input and output schemas as the
 * manifest has them (JSON Schema, passed on unchanged but for two additions: `confirm` on destructive
 * tools, and a small default page for list tools), its annotations as MCP hints.
 */
import { type ActionContract, manifest } from '../manifest/manifest.js';

/**
 * A list tool answers this many items when the agent does not say: enough to act, small for a context
 * (ten sandbox users are 17,652 characters of JSON: under the TEXT_LIMIT of an answer).
 */
export const AGENT_PAGE_SIZE = 10;

/** Which actions become tools. Empty lists select everything. */
export interface ToolSelection {
  readOnly?: boolean;
  actions?: readonly string[];
  categories?: readonly string[];
}

export interface McpTool {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  outputSchema: { type: 'object'; [key: string]: unknown };
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

/** The actions a selection keeps; an unknown action key or category is an error that names it. */
export function selectActions(selection: ToolSelection): ActionContract[] {
  const keys = new Set(manifest.actions.map((a) => a.key));
  const categories = new Set(manifest.actions.map((a) => a.category));
  const unknownKey = selection.actions?.find((key) => !keys.has(key));
  if (unknownKey) throw new Error(`There is no action "${unknownKey}".`);
  const unknownCategory = selection.categories?.find((c) => !categories.has(c));
  if (unknownCategory) {
    throw new Error(`There is no category "${unknownCategory}" (there are: ${[...categories].join(', ')}).`);
  }
  return manifest.actions.filter(
    (action) =>
      (!selection.readOnly || action.annotations.readOnly) &&
      (!selection.actions?.length || selection.actions.includes(action.key)) &&
      (!selection.categories?.length || selection.categories.includes(action.category)),
  );
}

/** With several connections, a tool takes the name of one that can run it. */
export interface ConnectionChoice {
  /** The connections expected to run this tool. */
  names: readonly string[];
  /** Every connection, to describe each by its org. */
  reports: readonly { name: string; orgUrl?: string }[];
}

export function toolOf(
  action: ActionContract,
  selected: readonly ActionContract[],
  choice?: ConnectionChoice,
): McpTool {
  const { readOnly, destructive, idempotent } = action.annotations;
  const inputSchema = toolInputSchema(action);
  return {
    name: action.key,
    title: action.title,
    description: describe(action, selected),
    inputSchema: choice ? withConnectionChoice(inputSchema, choice) : inputSchema,
    outputSchema: action.output as McpTool['outputSchema'],
    annotations: {
      title: action.title,
      readOnlyHint: readOnly,
      destructiveHint: destructive,
      idempotentHint: idempotent,
      openWorldHint: true,
    },
  };
}

/** True when the tool's input takes a page size (maxItems) that the server fills in when it is absent. */
export function takesPageSize(action: ActionContract): boolean {
  const properties = (action.input as { properties?: Record<string, unknown> }).properties ?? {};
  return action.annotations.readOnly && Object.hasOwn(properties, 'maxItems');
}

function describe(action: ActionContract, selected: readonly ActionContract[]): string {
  const { readOnly, destructive } = action.annotations;
  const effect = readOnly
    ? 'Reads only; changes nothing in Okta.'
    : destructive
      ? 'Changes Okta and cannot simply be undone: the server shows the plan and asks to confirm first (or, for a client without elicitation, needs confirm: true).'
      : 'Changes Okta; repeating it with the same input changes nothing more when it is already done.';
  const siblings = selected
    .filter((other) => other.category === action.category && other.key !== action.key)
    .map((other) => other.key);
  const lines = [action.description, '', `${action.category}. ${effect}`];
  if (takesPageSize(action)) {
    lines.push(
      `Answers ${AGENT_PAGE_SIZE} items unless maxItems says more; continue with cursor set to the answer's nextCursor.`,
    );
  }
  if (siblings.length > 0) lines.push(`Related tools: ${siblings.slice(0, 10).join(', ')}.`);
  return lines.join('\n');
}

function toolInputSchema(action: ActionContract): McpTool['inputSchema'] {
  const schema = structuredClone(action.input) as McpTool['inputSchema'] & {
    properties?: Record<string, Record<string, unknown>>;
  };
  const properties = { ...(schema.properties ?? {}) };
  if (takesPageSize(action) && properties.maxItems) {
    properties.maxItems = { ...properties.maxItems, default: AGENT_PAGE_SIZE };
  }
  if (action.annotations.destructive) {
    properties.confirm = {
      type: 'boolean',
      title: 'Confirm',
      description:
        'Set to true to run this destructive action after reading its plan. Without it (and without a client that can ask the person), the tool only answers the plan and sends nothing.',
    };
  }
  return { ...schema, properties };
}

/** The input schema with a required `connection`: one of the connections that can run the tool. */
function withConnectionChoice(
  schema: McpTool['inputSchema'],
  choice: ConnectionChoice,
): McpTool['inputSchema'] {
  const orgs = choice.reports
    .filter((report) => choice.names.includes(report.name))
    .map((report) => `${report.name}${report.orgUrl ? ` (${report.orgUrl})` : ''}`);
  return {
    ...schema,
    properties: {
      connection: {
        type: 'string',
        title: 'Connection',
        enum: [...choice.names],
        description: `The Okta org to act on: ${orgs.join(', ')}. Ids from one org mean nothing in another.`,
      },
      ...(schema.properties as Record<string, unknown>),
    },
    required: ['connection', ...((schema.required as string[] | undefined) ?? [])],
  };
}
