/**
 * lookup(): the options of a picker, for an input field whose value is an Okta object's id or login (the
 * field's `x-lookup`, src/manifest/lookups.ts). It runs the field's list action through execute(), so the
 * envelope, limits, rate-limit handling and secret redaction are a run's own, with a small page, the
 * typed text, the cursor of the previous page and the fields the list depends on (an app user's picker
 * needs the app). Everything the host can get wrong is refused before any request. It never throws.
 */
import { ActionError, type InputProblem } from '../errors/action-error.js';
import { toErrorEnvelope } from '../errors/map-error.js';
import {
  type InputField,
  inputFieldAt,
  inputFields,
  isLookupSource,
  type LookupSource,
  lookupFields,
  valueAt,
} from '../manifest/lookups.js';
import { type ActionContract, findAction } from '../manifest/manifest.js';
import { closestName } from '../schema/suggest.js';
import { unknownAction } from './action-run.js';
import { execute } from './execute.js';
import { type HostOptions, readHostRequest } from './host-call.js';
import type { ActionResult } from './results.js';

export interface LookupRequest {
  /** A connection object, as for execute(). */
  connection: unknown;
  /** What the person typed in the picker; sent to the list's search field (a field without one refuses it). */
  search?: string;
  /** The nextCursor of the previous page of the same lookup (same search, same input). */
  cursor?: string;
  /** The action's input so far: the fields the lookup depends on are read from it (dotted paths). */
  input?: Record<string, unknown>;
  /** Options per page: 1 to 200, default 20. Lists that Okta answers whole ignore it. */
  pageSize?: number;
  /** Cancels the lookup, as for execute(). */
  signal?: AbortSignal;
}

export interface LookupOption {
  /** What the field takes (usually the object's id). */
  value: string;
  /** What a person sees; the value when the object has nothing better. */
  label: string;
  /** A second line, when the object has one. */
  description?: string;
}

export interface LookupOutput {
  options: LookupOption[];
  /** Pass it as the cursor to get the next page; null when there are no more options. */
  nextCursor: string | null;
}

/** execute()'s envelope; `meta` is the list action's run (before one starts, the action looked up). */
export type LookupResult = ActionResult<LookupOutput>;

export const LOOKUP_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 200;
const REQUEST_FIELDS = ['connection', 'input', 'signal', 'search', 'cursor', 'pageSize'];

/** The list action to run and its input, with the request's connection and signal. */
interface PlannedLookup {
  source: LookupSource;
  connection: unknown;
  input: Record<string, unknown>;
  signal: AbortSignal | undefined;
}

/** The request's fields, read once and checked. */
interface LookupCall {
  connection: unknown;
  input: Record<string, unknown>;
  signal: AbortSignal | undefined;
  search: string | undefined;
  cursor: string | undefined;
  pageSize: number;
}

/**
 * The options of the input field at `fieldPath` (dotted; `groupIds` for each item of an array) of the
 * action `actionKey`. Never throws: every failure is `{ ok: false, error }`.
 */
export async function lookup(
  actionKey: string,
  fieldPath: string,
  request: LookupRequest,
  options?: HostOptions,
): Promise<LookupResult> {
  const startedAt = performance.now();
  let planned: PlannedLookup;
  try {
    planned = planLookup(actionKey, fieldPath, request);
  } catch (error) {
    const action = typeof actionKey === 'string' ? actionKey : typeof actionKey;
    const durationMs = Math.round(performance.now() - startedAt);
    return { ok: false, error: toErrorEnvelope(error), meta: { action, durationMs, requests: 0 } };
  }
  const { source, connection, input, signal } = planned;
  const result = await execute(source.action, { connection, input, ...(signal ? { signal } : {}) }, options);
  if (!result.ok) return result;
  return { ok: true, output: optionsOf(source, result.output), meta: result.meta };
}

function planLookup(actionKey: unknown, fieldPath: unknown, request: unknown): PlannedLookup {
  const call = readLookupRequest(request);
  const contract = knownAction(actionKey);
  if (typeof fieldPath !== 'string')
    throw new ActionError(
      'INVALID_INPUT',
      `The field to look up must be a string, not a ${typeof fieldPath}.`,
    );
  const field = inputFieldAt(contract, fieldPath);
  if (!field) throw unknownField(contract, fieldPath);
  const source = sourceOf(contract, field);
  const list = findAction(source.action);
  if (!list)
    throw new ActionError('INTERNAL', `${contract.key}'s lookup names ${source.action}, which is missing.`);
  const input = listInput(contract, field.path, source, list, call);
  return { source, connection: call.connection, input, signal: call.signal };
}

function readLookupRequest(request: unknown): LookupCall {
  const { connection, input, signal } = readHostRequest(request, REQUEST_FIELDS);
  // readHostRequest has made sure it is an object whose fields can be read.
  const { search, cursor, pageSize } = { ...(request as Record<string, unknown>) };
  const problems: InputProblem[] = [];
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input)))
    problems.push({ path: 'request.input', message: "must be an object: the action's input so far" });
  if (search !== undefined && typeof search !== 'string')
    problems.push({ path: 'request.search', message: 'must be a string: the text typed in the picker' });
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === ''))
    problems.push({ path: 'request.cursor', message: 'must be the nextCursor of the previous page' });
  const size = pageSize ?? LOOKUP_PAGE_SIZE;
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_PAGE_SIZE)
    problems.push({ path: 'request.pageSize', message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` });
  if (problems.length > 0) {
    const list = problems.map((p) => `"${p.path}" ${p.message}`).join('; ');
    throw new ActionError(
      'INVALID_OPTIONS',
      `The host called lookup() with ${list}. This is a mistake in the host's integration; nothing was sent to Okta.`,
      { details: problems, retryable: false },
    );
  }
  return {
    connection,
    input: (input ?? {}) as Record<string, unknown>,
    signal,
    search: search as string | undefined,
    cursor: cursor as string | undefined,
    pageSize: size as number,
  };
}

function knownAction(actionKey: unknown): ActionContract {
  const contract = typeof actionKey === 'string' ? findAction(actionKey) : undefined;
  if (contract) return contract;
  throw unknownAction(actionKey);
}

function unknownField(contract: ActionContract, path: string): ActionError {
  const near = closestName(
    path,
    inputFields(contract).map((field) => field.path),
  );
  const pickers = lookupFields(contract);
  return new ActionError(
    'INVALID_INPUT',
    `${contract.key} has no input field "${path}".${near ? ` Did you mean "${near}"?` : ''} ${
      pickers.length > 0
        ? `Its fields with a lookup: ${pickers.join(', ')}.`
        : 'None of its fields has a lookup.'
    }`,
    { details: [{ path, message: 'is not an input field' }] },
  );
}

function sourceOf(contract: ActionContract, field: InputField): LookupSource {
  const { lookup: found } = field;
  if (isLookupSource(found)) return found;
  const why = found
    ? `no list offers its values: ${found.none}`
    : "it is not an Okta object's id or login; type its value";
  throw new ActionError('UNSUPPORTED', `${contract.key}'s field "${field.path}" has no lookup: ${why}`, {
    retryable: false,
  });
}

/** The list action's input: fixed values, the fields it depends on, the search, the page and cursor. */
function listInput(
  contract: ActionContract,
  path: string,
  source: LookupSource,
  list: ActionContract,
  call: LookupCall,
): Record<string, unknown> {
  const where = `The options of ${contract.key}'s field "${path}" come from ${list.title}`;
  const input: Record<string, unknown> = { ...source.fixed };
  const missing: string[] = [];
  for (const [listField, ownField] of Object.entries(source.dependsOn ?? {})) {
    const value = valueAt(call.input, ownField);
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
      missing.push(ownField);
    else input[listField] = value;
  }
  if (missing.length > 0) {
    throw new ActionError(
      'INVALID_INPUT',
      `${where}, which needs ${missing.map((name) => `"${name}"`).join(' and ')} first: give ${missing.length > 1 ? 'them' : 'it'} in the lookup's input. Nothing was sent to Okta.`,
      { details: missing.map((name) => ({ path: name, message: `is needed to look up "${path}"` })) },
    );
  }
  const search = call.search?.trim();
  if (search) {
    if (!source.search)
      throw new ActionError('INVALID_INPUT', `${where}, which cannot be searched: leave search out.`, {
        details: [{ path: 'search', message: 'is not taken by this lookup' }],
      });
    input[source.search] = search;
  }
  const inputs = (list.input.properties ?? {}) as Record<string, unknown>;
  if (Object.hasOwn(inputs, 'maxItems')) input.maxItems = call.pageSize;
  if (call.cursor !== undefined) {
    if (!Object.hasOwn(inputs, 'cursor'))
      throw new ActionError('INVALID_INPUT', `${where}, which answers in one page: there is no next one.`, {
        details: [{ path: 'cursor', message: 'is not taken by this lookup' }],
      });
    input.cursor = call.cursor;
  }
  return input;
}

/** The list action's output as options: each item's value, label and description. */
function optionsOf(source: LookupSource, output: unknown): LookupOutput {
  const items = valueAt(output, source.items);
  const options: LookupOption[] = [];
  for (const item of Array.isArray(items) ? items : []) {
    const value = valueAt(item, source.value);
    if (typeof value !== 'string' || value === '') continue;
    const label = textAt(item, source.label) || value;
    const description = source.description ? textAt(item, source.description) : '';
    options.push({ value, label, ...(description ? { description } : {}) });
  }
  const next = valueAt(output, 'nextCursor');
  return { options, nextCursor: typeof next === 'string' ? next : null };
}

/** The text at one path, or at several joined with spaces (first and last name); '' when there is none. */
function textAt(item: unknown, paths: string | string[]): string {
  return [paths]
    .flat()
    .map((path) => valueAt(item, path))
    .filter((value) => (typeof value === 'string' && value.trim() !== '') || typeof value === 'number')
    .map((value) => String(value).trim())
    .join(' ');
}
