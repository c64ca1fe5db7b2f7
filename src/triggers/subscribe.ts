/**
 * Event hook mode: `subscribe()` makes the org's event hook of one name deliver the subscribed triggers'
 * event types to the host's receiver, and `unsubscribe()` removes it. Every Okta call is an action run
 * through execute() (list, create, verify, activate, delete; call-okta-api for Okta's replace), so the
 * runtime's rate limits, retries, redaction and error envelopes apply.
 *
 * Okta's rules it works within (https://developer.okta.com/docs/concepts/event-hooks/): the endpoint is
 * HTTPS; the hook is created ACTIVE and UNVERIFIED, and delivers only once verified (Okta sends the
 * endpoint a GET with `x-okta-verification-challenge`, to be echoed); the authorization header value is
 * write-only (Okta never shows it again) and is sent with every delivery; at most 25 active hooks per
 * org and 300 event types per hook.
 */
import { randomBytes } from 'node:crypto';
import { ActionError, type ActionErrorEnvelope, type StepRecord } from '../errors/action-error.js';
import { execute, type HostOptions } from '../runtime/execute.js';
import { invalid, resolveSubscriptions, type TriggerSubscription } from './catalog.js';
import { checkEndpoint, checkSecret, hookNameOf } from './subscribe-input.js';

export interface SubscribeRequest {
  connection: unknown;
  triggers: TriggerSubscription[];
  /** Where Okta delivers: the URL of the host's receiver (createEventHookHandler), HTTPS. */
  url: string;
  /** The hook's name. Default: the connection's eventHookName, else "okta-actions". */
  name?: string;
  /**
   * The secret this hook was given before (from an earlier subscribe), kept when the hook must be
   * replaced. Without it, a replaced or new hook gets a fresh secret, returned once in the output.
   */
  secret?: string;
  /**
   * Replace an existing hook's secret even when nothing else changed (with `secret`, or a fresh one).
   * A receiver accepts a list of secrets, so the old one can stay valid while Okta switches.
   */
  rotateSecret?: boolean;
  signal?: AbortSignal;
}

export interface SubscribeOutput {
  eventHookId: string;
  name: string;
  url: string;
  eventTypes: string[];
  status: string;
  verificationStatus: string;
  /** False when the hook already delivered exactly these event types to this URL: nothing was sent. */
  changed: boolean;
  created: boolean;
  /** The authorization header value Okta now sends; only when this run set a new one. Store it. */
  secret?: string;
  steps: StepRecord[];
}

export type SubscribeResult =
  | { ok: true; output: SubscribeOutput }
  | { ok: false; error: ActionErrorEnvelope & { steps?: StepRecord[] } };

/** Okta's limit of event types on one hook. */
export const MAX_EVENT_TYPES_PER_HOOK = 300;
const AUTH_HEADER = 'Authorization';

interface HookJson {
  id: string;
  name: string;
  status: string;
  verificationStatus?: string;
  events?: { items?: string[] };
  channel?: { config?: { uri?: string; headers?: unknown } };
}

/** Runs the actions of one subscribe or unsubscribe and keeps the record of its steps. */
class HookRun {
  readonly steps: StepRecord[] = [];
  constructor(
    private readonly request: { connection: unknown; signal?: AbortSignal },
    private readonly options: HostOptions | undefined,
  ) {}

  async run<T>(step: string, action: string, input: Record<string, unknown>): Promise<T> {
    const result = await execute(
      action,
      {
        connection: this.request.connection,
        input,
        ...(this.request.signal ? { signal: this.request.signal } : {}),
      },
      this.options,
    );
    if (!result.ok) {
      const { code, message, retryable } = result.error;
      this.steps.push({
        step,
        status: 'failed',
        ok: false,
        changed: false,
        error: { code, message, retryable },
      });
      throw new ActionError(result.error.code, result.error.message, { ...result.error, steps: this.steps });
    }
    const changed = (result.output as { changed?: unknown }).changed === true;
    this.steps.push({ step, status: 'done', ok: true, changed });
    return result.output as T;
  }

  skip(step: string, reason: string): void {
    this.steps.push({ step, status: 'skipped', ok: true, changed: false, reason });
  }
}

export async function subscribe(request: SubscribeRequest, options?: HostOptions): Promise<SubscribeResult> {
  try {
    return { ok: true, output: await subscribeOnce(request, options) };
  } catch (error) {
    return { ok: false, error: envelopeOf(error) };
  }
}

async function subscribeOnce(
  request: SubscribeRequest,
  options: HostOptions | undefined,
): Promise<SubscribeOutput> {
  if (typeof request !== 'object' || request === null) throw invalid('request', 'must be an object');
  const subscriptions = await resolveSubscriptions(request.triggers);
  const eventTypes = [...new Set(subscriptions.flatMap((s) => s.eventTypes))].sort();
  if (eventTypes.length > MAX_EVENT_TYPES_PER_HOOK)
    throw invalid(
      'triggers',
      `cover ${eventTypes.length} event types; one Okta event hook takes at most ${MAX_EVENT_TYPES_PER_HOOK}`,
    );
  const url = checkEndpoint(request.url, options);
  if (request.secret !== undefined) checkSecret(request.secret);
  const name = hookNameOf(request);
  const run = new HookRun(request, options);
  const { eventHooks } = await run.run<{ eventHooks: HookJson[] }>(
    'find the event hook',
    'list-event-hooks',
    {},
  );
  const existing = eventHooks.find((hook) => hook.name === name);
  const base = { name, url, eventTypes };
  if (!existing) return createHook(run, base, request.secret);
  const same = sameSet(existing.events?.items ?? [], eventTypes) && existing.channel?.config?.uri === url;
  if (same && request.rotateSecret !== true) {
    return settleHook(run, base, existing, { created: false, changed: false });
  }
  return replaceHook(run, base, existing, request.secret);
}

interface HookPlan {
  name: string;
  url: string;
  eventTypes: string[];
}

async function createHook(run: HookRun, plan: HookPlan, given: string | undefined): Promise<SubscribeOutput> {
  const secret = given ?? newEventHookSecret();
  const created = await run.run<{ id: string }>('create the event hook', 'create-event-hook', {
    name: plan.name,
    uri: plan.url,
    eventTypes: plan.eventTypes,
    authHeaderName: AUTH_HEADER,
    authHeaderValue: secret,
  });
  const hook: HookJson = {
    id: created.id,
    name: plan.name,
    status: 'ACTIVE',
    verificationStatus: 'UNVERIFIED',
  };
  try {
    const output = await settleHook(run, plan, hook, { created: true, changed: true });
    return given ? output : { ...output, secret };
  } catch (error) {
    // A hook that cannot be verified delivers nothing: remove it rather than leave it half made.
    const removed = await removeHalfMadeHook(run, created.id);
    const { code, message: _message, ...envelope } = envelopeOf(error);
    throw new ActionError(
      code,
      `${_message} ${removed ? 'The new event hook was removed again: nothing is subscribed.' : `Removing the new event hook ${created.id} failed too: delete it with Delete Event Hook.`}`,
      { ...envelope, steps: run.steps },
    );
  }
}

async function replaceHook(
  run: HookRun,
  plan: HookPlan,
  existing: HookJson,
  given: string | undefined,
): Promise<SubscribeOutput> {
  // Okta's replace (PUT) takes the whole hook; the secret is write-only, so it is sent again (or renewed).
  const secret = given ?? newEventHookSecret();
  const config = existing.channel?.config ?? {};
  const replaced = await run.run<{ body: HookJson }>('replace the event hook', 'call-okta-api', {
    method: 'PUT',
    path: `/api/v1/eventHooks/${encodeURIComponent(existing.id)}`,
    body: {
      name: plan.name,
      events: { type: 'EVENT_TYPE', items: plan.eventTypes },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: {
          uri: plan.url,
          ...(Array.isArray(config.headers) && config.headers.length > 0 ? { headers: config.headers } : {}),
          authScheme: { type: 'HEADER', key: AUTH_HEADER, value: secret },
        },
      },
    },
  });
  const output = await settleHook(
    run,
    plan,
    { ...existing, ...replaced.body },
    { created: false, changed: true },
  );
  return given ? output : { ...output, secret };
}

/** Activates and verifies the hook when it is not yet ACTIVE and VERIFIED: Okta delivers only then. */
async function settleHook(
  run: HookRun,
  plan: HookPlan,
  hook: HookJson,
  flags: { created: boolean; changed: boolean },
): Promise<SubscribeOutput> {
  let { status, verificationStatus = 'UNVERIFIED' } = hook;
  let changed = flags.changed;
  if (status !== 'ACTIVE') {
    await run.run('activate the event hook', 'activate-event-hook', { eventHookId: hook.id });
    status = 'ACTIVE';
    changed = true;
  } else run.skip('activate the event hook', 'already active');
  if (verificationStatus !== 'VERIFIED') {
    const verified = await run.run<{ verified: boolean; failureReason: string | null }>(
      'verify the event hook',
      'verify-event-hook',
      { eventHookId: hook.id },
    );
    if (!verified.verified) throw verificationFailed(plan.url, verified.failureReason, run.steps);
    verificationStatus = 'VERIFIED';
    changed = true;
  } else run.skip('verify the event hook', 'already verified');
  return {
    eventHookId: hook.id,
    name: plan.name,
    url: plan.url,
    eventTypes: plan.eventTypes,
    status,
    verificationStatus,
    changed,
    created: flags.created,
    steps: run.steps,
  };
}

/** True when the hook is gone; a failure is recorded as a failed step and said in the error. */
async function removeHalfMadeHook(run: HookRun, eventHookId: string): Promise<boolean> {
  try {
    await run.run('remove the new event hook', 'delete-event-hook', { eventHookId, deactivateFirst: true });
    return true;
  } catch {
    return false;
  }
}

function verificationFailed(url: string, reason: string | null, steps: StepRecord[]): ActionError {
  return new ActionError(
    'UPSTREAM',
    `Okta could not verify ${url}: ${reason ?? 'the endpoint did not echo the challenge'}. Mount the receiver (createEventHookHandler) at that URL, reachable from Okta, before subscribing.`,
    { retryable: false, steps },
  );
}

export interface UnsubscribeRequest {
  connection: unknown;
  name?: string;
  signal?: AbortSignal;
}

export type UnsubscribeResult =
  | { ok: true; output: { name: string; eventHookId: string | null; changed: boolean; steps: StepRecord[] } }
  | { ok: false; error: ActionErrorEnvelope & { steps?: StepRecord[] } };

/** Deactivates and deletes the hook of that name; `changed: false` when there is none. */
export async function unsubscribe(
  request: UnsubscribeRequest,
  options?: HostOptions,
): Promise<UnsubscribeResult> {
  try {
    if (typeof request !== 'object' || request === null) throw invalid('request', 'must be an object');
    const name = hookNameOf(request);
    const run = new HookRun(request, options);
    const { eventHooks } = await run.run<{ eventHooks: HookJson[] }>(
      'find the event hook',
      'list-event-hooks',
      {},
    );
    const hook = eventHooks.find((h) => h.name === name);
    if (!hook) return { ok: true, output: { name, eventHookId: null, changed: false, steps: run.steps } };
    await run.run('deactivate and delete the event hook', 'delete-event-hook', {
      eventHookId: hook.id,
      deactivateFirst: true,
    });
    return { ok: true, output: { name, eventHookId: hook.id, changed: true, steps: run.steps } };
  } catch (error) {
    return { ok: false, error: envelopeOf(error) };
  }
}

/** A fresh authorization secret: 256 random bits. */
export function newEventHookSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((item) => set.has(item));
}

function envelopeOf(error: unknown): ActionErrorEnvelope {
  if (error instanceof ActionError) return error.envelope;
  return { code: 'INTERNAL', message: 'Subscribing failed unexpectedly.', retryable: false };
}
