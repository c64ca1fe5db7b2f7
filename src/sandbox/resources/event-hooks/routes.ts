/** The Event Hooks API's operations: create, replace, list, verify, activate, deactivate and delete hooks. */
import { randomBytes } from 'node:crypto';
import { notAllowedInStatus, validationFailed } from '../../errors.js';
import { noContent, ok, type RouteHandler } from '../../route.js';
import {
  activeHookCount,
  createProblems,
  type EventHookBody,
  eventHooksOf,
  hookTarget,
  insertEventHook,
  isLoopback,
  MAX_ACTIVE_EVENT_HOOKS,
  replaceEventHookRecord,
  requireHook,
  setStatus,
  tooManyActiveHooks,
} from './model.js';
import { eventHookJson } from './render.js';
import { requestChallengeEcho, verificationFailed, verificationProblem } from './verification.js';

const createEventHook: RouteHandler = (context) => {
  const { org } = context;
  const body = context.body as EventHookBody;
  const problems = createProblems(body);
  if (problems.length > 0) throw validationFailed('eventHook', problems);
  if (activeHookCount(org) >= MAX_ACTIVE_EVENT_HOOKS) throw tooManyActiveHooks();
  const hook = insertEventHook(org, body, context.principal.userId);
  org.log.record('event_hook.created', 'Event hook created', [hookTarget(hook)]);
  return ok(eventHookJson(org, hook));
};

const replaceEventHook: RouteHandler = (context) => {
  const { org } = context;
  const hook = requireHook(org, context.params.eventHookId!);
  const body = context.body as EventHookBody;
  const problems = createProblems(body);
  if (problems.length > 0) throw validationFailed('eventHook', problems);
  replaceEventHookRecord(org, hook, body);
  org.log.record('event_hook.updated', 'Event hook updated', [hookTarget(hook)]);
  return ok(eventHookJson(org, hook));
};

// ---------------------------------------------------------------------------------------------------------
// Listing and lifecycle

const listEventHooks: RouteHandler = (context) => {
  const { org } = context;
  const hooks = [...eventHooksOf(org).byId.values()].sort((a, b) => a.seq - b.seq);
  return ok(hooks.map((hook) => eventHookJson(org, hook)));
};

/** Activating an active hook (or deactivating an inactive one) changes nothing and is no error. */
const activateEventHook: RouteHandler = (context) => {
  const { org } = context;
  const hook = requireHook(org, context.params.eventHookId!);
  if (hook.status === 'INACTIVE') {
    if (activeHookCount(org) >= MAX_ACTIVE_EVENT_HOOKS) throw tooManyActiveHooks();
    setStatus(org, hook, 'ACTIVE');
    org.log.record('event_hook.activated', 'Event hook activated', [hookTarget(hook)]);
  }
  return ok(eventHookJson(org, hook));
};

const deactivateEventHook: RouteHandler = (context) => {
  const { org } = context;
  const hook = requireHook(org, context.params.eventHookId!);
  if (hook.status === 'ACTIVE') {
    setStatus(org, hook, 'INACTIVE');
    org.log.record('event_hook.deactivated', 'Event hook deactivated', [hookTarget(hook)]);
  }
  return ok(eventHookJson(org, hook));
};

/** Okta deletes only INACTIVE hooks, so a live subscription is never dropped by accident. */
const deleteEventHook: RouteHandler = (context) => {
  const { org } = context;
  const hook = requireHook(org, context.params.eventHookId!);
  if (hook.status !== 'INACTIVE') throw notAllowedInStatus("event hook's");
  eventHooksOf(org).byId.delete(hook.id);
  org.changed();
  org.log.record('event_hook.deleted', 'Event hook deleted', [hookTarget(hook)]);
  return noContent();
};

/**
 * POST .../lifecycle/verify: Okta sends a one-time GET with an `x-okta-verification-challenge` header, and
 * the endpoint must answer `{"verification": "<that challenge>"}`. The sandbox reaches only loopback, so a
 * hook elsewhere fails verification as an unreachable endpoint would.
 */
const verifyEventHook: RouteHandler = async (context) => {
  const { org } = context;
  const hook = requireHook(org, context.params.eventHookId!);
  if (!isLoopback(new URL(hook.uri))) {
    throw verificationFailed('the endpoint could not be reached (the sandbox reaches only loopback)');
  }
  const challenge = randomBytes(24).toString('base64url');
  const problem = verificationProblem(await requestChallengeEcho(hook, challenge), challenge);
  if (problem) throw verificationFailed(problem);
  hook.verificationStatus = 'VERIFIED';
  hook.lastUpdated = org.now();
  org.changed();
  org.log.record('event_hook.verified', 'Event hook verified', [hookTarget(hook)]);
  return ok(eventHookJson(org, hook));
};

export const eventHooksRoutes: Record<string, RouteHandler> = {
  listEventHooks,
  createEventHook,
  replaceEventHook,
  verifyEventHook,
  activateEventHook,
  deactivateEventHook,
  deleteEventHook,
};
