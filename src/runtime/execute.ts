/**
 * execute(): the one place where an action runs and where every failure becomes data. It never throws.
 *
 * Order matters: the action, the connection and the input are all checked before any client is built or
 * any request is sent, so bad input changes nothing in Okta.
 */
import { type ResolvedConnection, resolveConnection } from '../connection/connection.js';
import { ActionError, type ActionErrorEnvelope, type InputProblem } from '../errors/action-error.js';
import { toErrorEnvelope } from '../errors/map-error.js';
import { redactSecrets } from '../errors/redact.js';
import type { ActionKey, ActionTypes } from '../generated/action-types.js';
import { handlers } from '../generated/handlers.js';
import { type ActionContract, findAction, manifest } from '../manifest.js';
import { adviseForCredentials } from '../oauth/advice.js';
import type { Authorizer, ConnectionUpdate } from '../oauth/authorizer.js';
import { missingScopes, oktaApiScopes } from '../oauth/scopes.js';
import { authorizerOf, getOktaClient } from '../okta/client-factory.js';
import { createOktaContext } from '../okta/okta-context.js';
import {
  describeProgress,
  haltReason,
  newCallScope,
  type PageSink,
  type RateLimitReading,
  runInScope,
} from './call-scope.js';
import { PLANNED } from './define-action.js';
import { type HostOptions, type HostRequest, readHostOptions, readHostRequest } from './host-call.js';
import { inputSecrets } from './input-secrets.js';
import { StepLog } from './steps.js';
import { closestName } from './suggest.js';
import { loadValidators } from './validation.js';

export interface ExecuteRequest<Input = unknown> {
  /** A connection object as described by `manifest.connections` (e.g. `{ type: 'api_token', ... }`). */
  connection: unknown;
  /**
   * The action's input, as described by its input schema; typed from the action key for the manifest's
   * keys (`InputOf`), so a misspelled field fails to compile. It is checked at run time all the same.
   */
  input?: Input;
  /** Cancels the run: requests in flight are aborted and the result is CANCELLED. */
  signal?: AbortSignal;
  /**
   * Read what the action needs and change nothing: the output is the plan
   * `{ dryRun: true, wouldChange, plan: [{ step, method, path }], current }`. Read-only actions ignore it.
   */
  dryRun?: boolean;
}

export type { HostOptions } from './host-call.js';

/** What a dry run answers instead of the action's output (manifest.dryRunOutput describes it). */
export interface DryRunOutput {
  dryRun: true;
  /** True when a real run would change Okta. */
  wouldChange: boolean;
  /** The requests a real run would send, in order. */
  plan: Array<{ step: string; method: string; path: string }>;
  /** What the dry run read from Okta, by path: the state the plan starts from. */
  current: Record<string, unknown>;
}

export interface ResultMeta {
  action: string;
  durationMs: number;
  /** HTTP requests sent to Okta during the run, retries included. */
  requests: number;
  /** The last rate-limit reading Okta sent, when it sent one. */
  rateLimit?: RateLimitReading;
  /**
   * oauth_access_token: the tokens after a refresh during the run. The host must store them in place of
   * the connection's (the old refresh token may no longer work: Okta rotates it).
   */
  connectionUpdate?: ConnectionUpdate;
}

export type ActionResult<Output = unknown> =
  | { ok: true; output: Output; meta: ResultMeta }
  | { ok: false; error: ActionErrorEnvelope; meta: ResultMeta };

/** The output type of an action key: known for the manifest's keys, unknown for any other string. */
export type OutputOf<Key extends string> = Key extends ActionKey ? ActionTypes[Key]['output'] : unknown;

/** The input type of an action key: known for the manifest's keys, unknown for any other string. */
export type InputOf<Key extends string> = Key extends ActionKey ? ActionTypes[Key]['input'] : unknown;

/**
 * Runs an action. Never throws: every failure is `{ ok: false, error }`. For a key of the manifest, the
 * input and the output are typed from the key (a misspelled input field does not compile).
 */
export function execute<Key extends ActionKey>(
  actionKey: Key,
  request: ExecuteRequest<ActionTypes[Key]['input']> & { dryRun?: false },
  options?: HostOptions,
): Promise<ActionResult<ActionTypes[Key]['output']>>;
/** A dry run answers the plan for actions that change Okta (read-only actions answer their output). */
export function execute<Key extends ActionKey>(
  actionKey: Key,
  request: ExecuteRequest<ActionTypes[Key]['input']>,
  options?: HostOptions,
): Promise<ActionResult<ActionTypes[Key]['output'] | DryRunOutput>>;
/**
 * A key known only at run time (a string from the host's own storage): the input is checked when the
 * action runs. A key of the manifest written in the code never lands here, so its input stays typed.
 */
export function execute<Key extends string>(
  actionKey: Key & NotAnActionKey<Key>,
  request: ExecuteRequest & { dryRun?: false },
  options?: HostOptions,
): Promise<ActionResult<unknown>>;
export function execute<Key extends string>(
  actionKey: Key & NotAnActionKey<Key>,
  request: ExecuteRequest,
  options?: HostOptions,
): Promise<ActionResult<unknown>>;
export async function execute(
  actionKey: string,
  request: ExecuteRequest,
  options?: HostOptions,
): Promise<ActionResult> {
  return runAction(actionKey, request, options, {});
}

/** `never` for a key of the manifest (and for a union of them), so the untyped signature refuses it. */
type NotAnActionKey<Key extends string> = Key extends ActionKey ? never : unknown;

/** What stream() adds to a run: where the list's pages go. */
export interface RunInternals {
  pageSink?: PageSink;
}

/** execute(), and for stream() a list whose pages go to a sink instead of the output. Never throws. */
export async function runAction<Key extends string>(
  actionKey: Key,
  request: ExecuteRequest,
  options: HostOptions | undefined,
  internals: RunInternals,
): Promise<ActionResult<OutputOf<Key> | DryRunOutput>> {
  const startedAt = performance.now();
  // Replaced by the run's own once the host options are known to be valid.
  let scope = newCallScope(undefined);
  let call: HostRequest | undefined;
  let steps = new StepLog(false);
  let connection: ResolvedConnection | undefined;
  let authorizer: Authorizer | undefined;
  let generationAtStart = 0;
  let actionScopes: readonly string[] | undefined;
  let inputSecretValues: string[] = [];
  const secrets = () => [
    ...(connection?.secrets() ?? rawSecrets(call?.connection)),
    ...(authorizer?.secrets() ?? []),
    ...inputSecretValues,
  ];
  const meta = (): ResultMeta => {
    // Tokens refreshed during the run: the host stores them in place of the connection's.
    const update =
      authorizer?.updates.generation !== generationAtStart ? authorizer?.updates.latest : undefined;
    return {
      action: typeof actionKey === 'string' ? actionKey : typeof actionKey,
      durationMs: Math.round(performance.now() - startedAt),
      requests: scope.requests,
      ...(scope.rateLimit ? { rateLimit: scope.rateLimit } : {}),
      ...(update ? { connectionUpdate: update } : {}),
    };
  };

  try {
    const contract = typeof actionKey === 'string' ? findAction(actionKey) : undefined;
    const handler = contract && Object.hasOwn(handlers, contract.key) ? handlers[contract.key] : undefined;
    if (!contract || !handler) throw unknownAction(actionKey);
    actionScopes = contract.scopes;
    call = readHostRequest(request);
    const hostOptions = await readHostOptions(options);
    scope = newCallScope(call.signal, hostOptions);
    scope.pageSink = internals.pageSink;
    // Taken before validation, so even an input that fails it has its secrets redacted from the error.
    inputSecretValues = inputSecrets(contract.input, call.input);
    if (scope.signal?.aborted) throw new ActionError('CANCELLED', 'The run was cancelled before it started.');

    connection = await resolveConnection(call.connection, hostOptions);
    const validators = await loadValidators();
    const { value: input, problems } = validators.checkInput(contract.key, contract.input, call.input ?? {});
    if (problems.length > 0) {
      const list = problems.map((p) => `"${p.path}" ${p.message}`).join('; ');
      throw new ActionError(
        'INVALID_INPUT',
        `The input of ${contract.key} is not valid: ${list}. Nothing was sent to Okta.`,
        {
          details: problems,
        },
      );
    }

    // A dry run only makes sense for an action that changes something; read-only actions ignore it.
    const dryRun = call.dryRun && !contract.annotations.readOnly;
    // A step's failure, as the envelope would say it (code and message, secrets removed).
    const explain = (error: unknown) => {
      const envelope = redactSecrets(
        adviseForCredentials(toErrorEnvelope(error, scope), connection?.type, authorizer, actionScopes),
        secrets(),
      );
      return { code: envelope.code, message: envelope.message, retryable: envelope.retryable };
    };
    steps = new StepLog(dryRun, explain, () => haltReason(scope));
    scope.dryRun = dryRun;
    const reads = new Map<string, unknown>();
    const sdk = await getOktaClient(connection);
    authorizer = authorizerOf(sdk);
    generationAtStart = authorizer.updates.generation;
    refuseOtherConnectionTypes(contract, connection);
    refuseWithoutScopes(contract, connection, authorizer);
    const okta = createOktaContext(sdk, connection.orgUrl, dryRun ? reads : undefined, connection.type);
    const output = await runInScope(scope, () =>
      handler({
        input,
        okta,
        signal: scope.signal,
        dryRun,
        change: (step, changeRequest, send) => steps.change(step, changeRequest, send),
        attempt: (step, changeRequest, send) => steps.attempt(step, changeRequest, send),
        part: (name, run) => steps.part(name, run),
        fail: (step, error) => steps.fail(step, explain(error)),
        skip: (step, reason) => steps.skip(step, reason),
        settleLastChange: (outcome) => steps.settle(outcome),
        steps: () => steps.records,
      }),
    );
    if (dryRun) {
      const plan: DryRunOutput = {
        dryRun: true,
        wouldChange: steps.changedAnything,
        plan: steps.plan(),
        current: Object.fromEntries(reads),
      };
      return { ok: true, output: plan, meta: meta() };
    }
    if (output === PLANNED) {
      throw new ActionError(
        'INTERNAL',
        `${contract.key} made no change and produced no output. This is a bug in okta-actions; please report it.`,
      );
    }

    const outputProblems = validators.checkOutput(contract.key, contract.output, output);
    if (outputProblems.length > 0) throw outputContractError(contract.key, outputProblems);
    return { ok: true, output: output as OutputOf<Key>, meta: meta() };
  } catch (error) {
    const envelope = adviseForCredentials(
      toErrorEnvelope(error, scope),
      connection?.type,
      authorizer,
      actionScopes,
    );
    const withSteps: ActionErrorEnvelope =
      steps.records.length > 0
        ? { ...envelope, message: envelope.message + steps.describeProgress(), steps: steps.records }
        : { ...envelope };
    const listRead = describeProgress(scope);
    if (listRead) {
      // A list that failed part-way returns nothing: say how far it got, so the run can be judged or resumed.
      withSteps.progress = { pagesRead: scope.progress.pages, itemsRead: scope.progress.items };
      withSteps.message += ` ${listRead} had been read; nothing was returned, as the list was incomplete.`;
    }
    return { ok: false, error: redactSecrets(withSteps, secrets()), meta: meta() };
  }
}

/** An output that breaks the action's own output schema: our bug, said as such. */
export function outputContractError(actionKey: string, problems: InputProblem[]): ActionError {
  const list = problems.map((p) => `"${p.path}" ${p.message}`).join('; ');
  return new ActionError(
    'OUTPUT_CONTRACT',
    `okta-actions produced an output for ${actionKey} that breaks its own output schema (${list}). This is a bug in okta-actions, not in your flow; please report it.`,
    { details: problems },
  );
}

function unknownAction(actionKey: unknown): ActionError {
  if (typeof actionKey !== 'string')
    return new ActionError('UNKNOWN_ACTION', `The action key must be a string, not a ${typeof actionKey}.`);
  const key = actionKey;
  const suggestion = closestName(
    key,
    manifest.actions.map((a) => a.key),
  );
  return new ActionError(
    'UNKNOWN_ACTION',
    `There is no action "${key}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} The manifest lists every action.`,
  );
}

/**
 * The values of every secret-marked connection field, also for a connection that did not validate, so a
 * malformed connection's token is redacted all the same.
 */
export function rawSecrets(connection: unknown): string[] {
  if (connection === null || typeof connection !== 'object') return [];
  try {
    return Object.entries(connection as Record<string, unknown>)
      .filter(([name, value]) => SECRET_FIELDS.has(name) && typeof value === 'string')
      .map(([, value]) => value as string);
  } catch {
    return []; // an object whose fields cannot be read holds no secret it could show either
  }
}

const SECRET_FIELDS = new Set(
  Object.values(manifest.connections).flatMap((type) =>
    Object.entries((type.schema.properties ?? {}) as Record<string, { 'x-secret'?: boolean }>)
      .filter(([, property]) => property['x-secret'])
      .map(([name]) => name),
  ),
);

/** An action that declares the connection types it runs with refuses the others before anything is sent. */
function refuseOtherConnectionTypes(contract: ActionContract, connection: ResolvedConnection): void {
  if (!contract.connectionTypes || contract.connectionTypes.includes(connection.type)) return;
  throw new ActionError(
    'UNSUPPORTED',
    `${contract.title} runs only with ${contract.connectionTypes.join(' or ')} connections, and this one is ${connection.type}. ${contract.connectionTypesAdvice ?? ''} Nothing was sent to Okta.`,
    { retryable: false },
  );
}

/**
 * An OAuth token without a scope the action needs would only earn a 403: say so before sending anything,
 * when the scopes are known (the connection asks for them, or Okta listed them in the token response).
 */
function refuseWithoutScopes(
  contract: ActionContract,
  connection: ResolvedConnection,
  authorizer: Authorizer,
): void {
  if (connection.type === 'api_token') return;
  const granted = authorizer.grantedScopes();
  const missing = granted ? missingScopes(oktaApiScopes(contract.scopes), granted) : [];
  if (missing.length === 0) return;
  throw new ActionError(
    'FORBIDDEN',
    `${contract.key} needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which this connection's token does not hold (it holds ${granted!.join(', ') || 'none'}). Grant ${missing.length > 1 ? 'them' : 'it'} to the app under Okta API Scopes and add ${missing.length > 1 ? 'them' : 'it'} to the connection's scopes. Nothing was sent to Okta.`,
    { retryable: false },
  );
}
