/** Event hooks: read from Okta's list (unpaged, and small: an org has at most 25 active hooks). */
import { isLoopbackHost } from '../connection/api-address.js';
import { ActionError, invalidInput } from '../errors/action-error.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';

/** An event hook as Okta sends it; only what the actions read is typed. */
export interface OktaEventHookJson {
  id: string;
  name: string;
  status: string;
  verificationStatus?: string;
  [field: string]: unknown;
}

/** Okta's limit of event hooks that can be ACTIVE at once in one org. */
export const MAX_ACTIVE_EVENT_HOOKS = 25;

export const EVENT_HOOKS_PATH = '/api/v1/eventHooks';

export function eventHookPath(eventHookId: string, lifecycle?: 'activate' | 'deactivate' | 'verify'): string {
  const path = oktaPath('/api/v1/eventHooks/{eventHookId}', { eventHookId });
  return lifecycle ? `${path}/lifecycle/${lifecycle}` : path;
}

/** Every event hook of the org. GET /api/v1/eventHooks takes no paging parameters: it answers all. */
export async function listEventHooks(okta: OktaContext): Promise<OktaEventHookJson[]> {
  return (await okta.getJson<OktaEventHookJson[] | undefined>(EVENT_HOOKS_PATH)) ?? [];
}

/** One hook by id, or undefined when the org has none with that id. */
export async function findEventHook(
  okta: OktaContext,
  eventHookId: string,
): Promise<OktaEventHookJson | undefined> {
  return (await listEventHooks(okta)).find((hook) => hook.id === eventHookId);
}

/** One hook by id; NOT_FOUND when the org has none with that id. */
export async function requireEventHook(okta: OktaContext, eventHookId: string): Promise<OktaEventHookJson> {
  const hook = await findEventHook(okta, eventHookId);
  if (hook) return hook;
  throw eventHookNotFound(eventHookId);
}

export function eventHookNotFound(eventHookId: string): ActionError {
  return new ActionError(
    'NOT_FOUND',
    `The org has no event hook with the id ${eventHookId}. Check the id with List Event Hooks (or Workflow > Event Hooks in the Admin Console).`,
    { retryable: false },
  );
}

/** CONFLICT when activating one more hook would pass Okta's limit of active hooks. */
export function checkRoomForActiveHook(hooks: readonly OktaEventHookJson[]): void {
  const active = hooks.filter((hook) => hook.status === 'ACTIVE');
  if (active.length < MAX_ACTIVE_EVENT_HOOKS) return;
  throw new ActionError(
    'CONFLICT',
    `The org already has ${active.length} active event hooks, Okta's maximum of ${MAX_ACTIVE_EVENT_HOOKS}; deactivate one first (Deactivate Event Hook). Nothing was changed.`,
    { retryable: false },
  );
}

/** The stable fields of the status-change actions. */
export function eventHookStatusChange(hook: OktaEventHookJson, status: string, changed: boolean) {
  return {
    id: hook.id,
    name: hook.name,
    status,
    previousStatus: hook.status,
    verificationStatus: hook.verificationStatus ?? 'UNVERIFIED',
    changed,
  };
}

/**
 * Okta calls only HTTPS endpoints. A plain http loopback endpoint is for an org that is itself on
 * loopback (the local sandbox, which can reach nothing else); a real org could never call it.
 */
export function checkEndpointScheme(orgUrl: string, uri: string): void {
  if (!uri.startsWith('http://')) return;
  if (isLoopbackHost(new URL(orgUrl).hostname.toLowerCase())) return;
  throw invalidInput('uri', 'must use https: Okta calls only HTTPS endpoints');
}
