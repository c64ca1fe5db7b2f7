/**
 * What a host hands to execute(), stream() and testConnection() besides the connection and the input: the
 * request object's own fields (`signal`, `dryRun`) and the host options. They are checked like inputs,
 * before anything else happens, so a typo or a nonsense value (`requestTimeoutMs: -5`, `maxRetries:
 * 'lots'`) is a clear INVALID_OPTIONS naming the field instead of a silent default or a broken run.
 */
import type { ConnectionOptions } from '../connection/connection.js';
import { ActionError, type InputProblem } from '../errors/action-error.js';
import { closestName } from '../schema/suggest.js';
import { loadValidators } from '../schema/validation.js';
import type { SharedSettings, TransportSettings } from '../transport/call-scope.js';
import { isRateLimitStore } from '../transport/rate-limit-store.js';
import { HOST_OPTIONS_SCHEMA, HOST_OPTIONS_SCHEMA_KEY } from './host-options.js';

/** Settings the host chooses (never the connection's author). */
export interface HostOptions extends ConnectionOptions, Partial<TransportSettings>, SharedSettings {}

const REQUEST_FIELDS = ['connection', 'input', 'signal', 'dryRun'];

export interface HostRequest {
  connection: unknown;
  input: unknown;
  signal: AbortSignal | undefined;
  dryRun: boolean;
}

/**
 * The request's fields, read once (a getter that throws, or a Proxy, cannot break the run later), or
 * INVALID_OPTIONS naming what is wrong.
 */
export function readHostRequest(request: unknown, fields: readonly string[] = REQUEST_FIELDS): HostRequest {
  if (request === null || typeof request !== 'object' || Array.isArray(request))
    throw invalidOptions([
      { path: 'request', message: `must be an object like { connection, input }, not ${describe(request)}` },
    ]);
  let record: Record<string, unknown>;
  try {
    // One read of each field: later reads cannot throw or answer differently.
    record = { ...(request as Record<string, unknown>) };
  } catch {
    throw invalidOptions([{ path: 'request', message: 'has fields that cannot be read' }]);
  }
  const problems: InputProblem[] = Object.keys(record)
    .filter((name) => !fields.includes(name))
    .map((name) => {
      const suggestion = closestName(name, fields);
      return {
        path: `request.${name}`,
        message: `is not a known field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known fields: ${fields.join(', ')}`,
      };
    });
  const { connection, input, signal, dryRun } = record;
  if (!isSignalOrNone(signal)) problems.push({ path: 'request.signal', message: 'must be an AbortSignal' });
  if (dryRun !== undefined && typeof dryRun !== 'boolean')
    problems.push({ path: 'request.dryRun', message: 'must be true or false' });
  if (problems.length > 0) throw invalidOptions(problems);
  return { connection, input, signal: signal as AbortSignal | undefined, dryRun: dryRun === true };
}

/** The host options, checked; undefined and null mean none. */
export async function readHostOptions(options: unknown): Promise<HostOptions> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options))
    throw invalidOptions([{ path: 'options', message: `must be an object, not ${describe(options)}` }]);
  // An object of functions, not JSON: checked by its shape, the rest by the schema.
  const { rateLimitStore, ...settings } = options as HostOptions;
  const { value, problems } = (await loadValidators()).checkInput(
    HOST_OPTIONS_SCHEMA_KEY,
    HOST_OPTIONS_SCHEMA,
    settings,
  );
  const found = problems.map((p) => ({ ...p, path: p.path ? `options.${p.path}` : 'options' }));
  if (rateLimitStore !== undefined && !isRateLimitStore(rateLimitStore)) {
    found.push({
      path: 'options.rateLimitStore',
      message:
        'must be a rate-limit store (reserve, settle, localShare in (0, 1], timeoutMs > 0), like the one okta-actions/redis makes',
    });
  }
  if (found.length > 0) throw invalidOptions(found);
  return { ...(value as HostOptions), ...(rateLimitStore ? { rateLimitStore } : {}) };
}

function invalidOptions(problems: InputProblem[]): ActionError {
  const list = problems.map((p) => `"${p.path}" ${p.message}`).join('; ');
  return new ActionError(
    'INVALID_OPTIONS',
    `The host called okta-actions with ${list}. This is a mistake in the host's integration, not in the flow; nothing was sent to Okta.`,
    { details: problems, retryable: false },
  );
}

/** testConnection()'s cancel signal, which travels among its options: checked, or INVALID_OPTIONS. */
export function readOptionsSignal(signal: unknown): AbortSignal | undefined {
  if (!isSignalOrNone(signal))
    throw invalidOptions([{ path: 'options.signal', message: 'must be an AbortSignal' }]);
  return signal;
}

function isSignalOrNone(value: unknown): value is AbortSignal | undefined {
  if (value === undefined) return true;
  const signal = value as { aborted?: unknown; addEventListener?: unknown } | null;
  return (
    typeof signal === 'object' &&
    signal !== null &&
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function'
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
