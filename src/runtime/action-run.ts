/**
 * One run of an action, from the host's call to the result envelope: the steps execute() and stream()
 * share. Order matters: the action, the host's call, the connection and the input are all checked before
 * any client is built or any request is sent, so bad input changes nothing in Okta. Every failure becomes
 * the envelope here (envelopeOf), with the steps already done and how far a list got, secrets removed.
 */
import { type ResolvedConnection, resolveConnection } from '../connection/connection.js';
import { ActionError, type ActionErrorEnvelope, type InputProblem } from '../errors/action-error.js';
import { toErrorEnvelope } from '../errors/map-error.js';
import { redactSecrets } from '../errors/redact.js';
import { handlers } from '../generated/handlers.js';
import { type ActionHandler, type HandlerContext, PLANNED } from '../handler/define-action.js';
import { createOktaContext } from '../handler/okta-context.js';
import { type ActionContract, findAction, manifest } from '../manifest/manifest.js';
import { missingScopes, oktaApiScopes } from '../manifest/scopes.js';
import { adviseForCredentials } from '../oauth/advice.js';
import type { Authorizer } from '../oauth/authorizer.js';
import { inputSecrets } from '../schema/input-secrets.js';
import { closestName } from '../schema/suggest.js';
import { loadValidators, type Validators } from '../schema/validation.js';
import { haltReason, newCallScope, runInScope } from '../transport/call-scope.js';
import { authorizerOf, getOktaClient } from '../transport/client-factory.js';
import { describeProgress, type ListReading, type PageSink } from '../transport/paginate.js';
import { type HostOptions, type HostRequest, readHostOptions, readHostRequest } from './host-call.js';
import type { ActionResult, DryRunOutput, ExecuteRequest, ResultMeta } from './results.js';
import { rawSecrets } from './secrets.js';
import { StepLog } from './steps.js';

/** What stream() and a queue's retried job add to a run. */
export interface RunInternals {
  /** stream(): where the list's pages go. */
  pageSink?: PageSink;
  /**
   * The run repeats work an earlier run may have done in part (a queue's job run again after its worker
   * died mid-request, or after a later step failed): when that earlier run started, in epoch ms. Creates
   * look for an object created since then before sending (src/domain/create-once.ts).
   */
  resumesFrom?: number;
}

/** execute(), and for stream() a list whose pages go to a sink instead of the output. Never throws. */
export async function runAction(
  actionKey: unknown,
  request: ExecuteRequest,
  options: HostOptions | undefined,
  internals: RunInternals,
): Promise<ActionResult> {
  const run = new ActionRun(actionKey, internals);
  try {
    return { ok: true, output: await run.perform(request, options), meta: run.meta() };
  } catch (error) {
    return { ok: false, error: run.envelopeOf(error), meta: run.meta() };
  }
}

/** A run of a known action whose host call, connection and input have been checked. */
interface Prepared {
  contract: ActionContract;
  handler: ActionHandler;
  input: unknown;
  dryRun: boolean;
  validators: Validators;
}

class ActionRun {
  private readonly startedAt = performance.now();
  /** Replaced by the run's own once the host options are known to be valid. */
  private scope = newCallScope(undefined);
  private readonly lists: ListReading;
  private steps = new StepLog(false);
  private call: HostRequest | undefined;
  private connection: ResolvedConnection | undefined;
  private authorizer: Authorizer | undefined;
  private generationAtStart = 0;
  private actionScopes: readonly string[] | undefined;
  private inputSecretValues: string[] = [];

  constructor(
    private readonly actionKey: unknown,
    private readonly internals: RunInternals,
  ) {
    this.lists = { progress: { pages: 0, items: 0 }, sink: internals.pageSink };
  }

  /** The action's output, or its dry run's plan; throws on any failure (envelopeOf turns it into data). */
  async perform(request: unknown, options: unknown): Promise<unknown> {
    const prepared = await this.prepare(request, options);
    const { contract, handler, input, dryRun, validators } = prepared;
    const reads = new Map<string, unknown>();
    this.steps = new StepLog(
      dryRun,
      (error) => this.explain(error),
      () => haltReason(this.scope),
    );
    this.scope.dryRun = dryRun;
    const connection = this.connection!;
    const sdk = await getOktaClient(connection);
    this.authorizer = authorizerOf(sdk);
    this.generationAtStart = this.authorizer.updates.generation;
    refuseOtherConnectionTypes(contract, connection);
    refuseWithoutScopes(contract, connection, this.authorizer);
    const okta = createOktaContext(sdk, connection.orgUrl, {
      connectionType: connection.type,
      lists: this.lists,
      reads: dryRun ? reads : undefined,
    });
    const output = await runInScope(this.scope, () => handler(this.handlerContext(input, okta, dryRun)));
    if (dryRun) return this.plan(reads);
    if (output === PLANNED) {
      throw new ActionError(
        'INTERNAL',
        `${contract.key} made no change and produced no output. This is a bug in okta-actions; please report it.`,
      );
    }
    const outputProblems = validators.checkOutput(contract.key, contract.output, output);
    if (outputProblems.length > 0) throw outputContractError(contract.key, outputProblems);
    return output;
  }

  /** The action, the host's call, the host options, the connection and the input, each checked in turn. */
  private async prepare(request: unknown, options: unknown): Promise<Prepared> {
    const contract = typeof this.actionKey === 'string' ? findAction(this.actionKey) : undefined;
    const handler = contract && Object.hasOwn(handlers, contract.key) ? handlers[contract.key] : undefined;
    if (!contract || !handler) throw unknownAction(this.actionKey);
    this.actionScopes = contract.scopes;
    const call = readHostRequest(request);
    this.call = call;
    const hostOptions = await readHostOptions(options);
    this.scope = newCallScope(call.signal, hostOptions);
    // Taken before validation, so even an input that fails it has its secrets redacted from the error.
    this.inputSecretValues = inputSecrets(contract.input, call.input);
    if (this.scope.signal?.aborted)
      throw new ActionError('CANCELLED', 'The run was cancelled before it started.');

    this.connection = await resolveConnection(call.connection, hostOptions);
    const validators = await loadValidators();
    const { value: input, problems } = validators.checkInput(contract.key, contract.input, call.input ?? {});
    if (problems.length > 0) throw invalidInput(contract.key, problems);
    // A dry run only makes sense for an action that changes something; read-only actions ignore it.
    const dryRun = call.dryRun && !contract.annotations.readOnly;
    return { contract, handler, input, dryRun, validators };
  }

  private handlerContext(input: unknown, okta: HandlerContext<unknown>['okta'], dryRun: boolean) {
    const steps = this.steps;
    const context: HandlerContext<unknown> = {
      input,
      okta,
      signal: this.scope.signal,
      dryRun,
      ...(this.internals.resumesFrom !== undefined ? { resumesFrom: this.internals.resumesFrom } : {}),
      change: (step, changeRequest, send) => steps.change(step, changeRequest, send),
      attempt: (step, changeRequest, send) => steps.attempt(step, changeRequest, send),
      part: (name, run) => steps.part(name, run),
      fail: (step, error) => steps.fail(step, this.explain(error)),
      skip: (step, reason) => steps.skip(step, reason),
      settleLastChange: (outcome) => steps.settle(outcome),
      steps: () => steps.records,
    };
    return context;
  }

  private plan(reads: Map<string, unknown>): DryRunOutput {
    return {
      dryRun: true,
      wouldChange: this.steps.changedAnything,
      plan: this.steps.plan(),
      current: Object.fromEntries(reads),
    };
  }

  /** A step's failure, as the envelope would say it (code and message, secrets removed). */
  private explain(error: unknown) {
    const envelope = redactSecrets(this.advised(error), this.secrets());
    return { code: envelope.code, message: envelope.message, retryable: envelope.retryable };
  }

  private advised(error: unknown): ActionErrorEnvelope {
    return adviseForCredentials(
      toErrorEnvelope(error, this.scope),
      this.connection?.type,
      this.authorizer,
      this.actionScopes,
    );
  }

  /** The run's failure as data: with the steps already done and how far a list got, secrets removed. */
  envelopeOf(error: unknown): ActionErrorEnvelope {
    const envelope = this.advised(error);
    const steps = this.steps;
    const withSteps: ActionErrorEnvelope =
      steps.records.length > 0
        ? { ...envelope, message: envelope.message + steps.describeProgress(), steps: steps.records }
        : { ...envelope };
    const { progress } = this.lists;
    const listRead = describeProgress(progress);
    if (listRead) {
      // A list that failed part-way returns nothing: say how far it got, so the run can be judged or resumed.
      withSteps.progress = { pagesRead: progress.pages, itemsRead: progress.items };
      withSteps.message += ` ${listRead} had been read; nothing was returned, as the list was incomplete.`;
    }
    return redactSecrets(withSteps, this.secrets());
  }

  private secrets(): string[] {
    return [
      ...(this.connection?.secrets() ?? rawSecrets(this.call?.connection)),
      ...(this.authorizer?.secrets() ?? []),
      ...this.inputSecretValues,
    ];
  }

  meta(): ResultMeta {
    const { actionKey, startedAt, scope, authorizer, generationAtStart } = this;
    return runMeta({ actionKey, startedAt, scope, authorizer, generationAtStart });
  }
}

/** What a run's meta is made from: ActionRun's, and inputSchema()'s schema read. */
export interface MetaSource {
  actionKey: unknown;
  startedAt: number;
  scope: ReturnType<typeof newCallScope>;
  authorizer: Authorizer | undefined;
  generationAtStart: number;
}

/** The meta of a run: duration, requests, the last rate-limit reading, tokens refreshed during it. */
export function runMeta(run: MetaSource): ResultMeta {
  const { authorizer, scope } = run;
  // Tokens refreshed during the run: the host stores them in place of the connection's.
  const update =
    authorizer?.updates.generation !== run.generationAtStart ? authorizer?.updates.latest : undefined;
  return {
    action: typeof run.actionKey === 'string' ? run.actionKey : typeof run.actionKey,
    durationMs: Math.round(performance.now() - run.startedAt),
    requests: scope.requests,
    ...(scope.rateLimit ? { rateLimit: scope.rateLimit } : {}),
    ...(scope.budget ? { rateLimitBudget: scope.budget } : {}),
    ...(update ? { connectionUpdate: update } : {}),
  };
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

function invalidInput(actionKey: string, problems: InputProblem[]): ActionError {
  const list = problems.map((p) => `"${p.path}" ${p.message}`).join('; ');
  return new ActionError(
    'INVALID_INPUT',
    `The input of ${actionKey} is not valid: ${list}. Nothing was sent to Okta.`,
    { details: problems },
  );
}

export function unknownAction(actionKey: unknown): ActionError {
  if (typeof actionKey !== 'string')
    return new ActionError('UNKNOWN_ACTION', `The action key must be a string, not a ${typeof actionKey}.`);
  const suggestion = closestName(
    actionKey,
    manifest.actions.map((a) => a.key),
  );
  return new ActionError(
    'UNKNOWN_ACTION',
    `There is no action "${actionKey}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} The manifest lists every action.`,
  );
}

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
