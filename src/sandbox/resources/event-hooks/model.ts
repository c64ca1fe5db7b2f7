/**
 * Event hooks: registrations of an external HTTPS endpoint that Okta calls when subscribed System Log
 * events happen. A hook is created ACTIVE and UNVERIFIED; the one-time verification makes Okta call the
 * endpoint with a challenge it must echo. Only an INACTIVE hook can be deleted, and an org has at most 25
 * active hooks. The authentication secret sent with each call is write-only.
 *
 * The sandbox makes the verification call (verification.ts) and delivers events (delivery.ts), both only
 * to loopback endpoints: it calls nothing beyond the machine it runs on.
 */
import { notFound, type OktaHttpError, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';

type HookStatus = 'ACTIVE' | 'INACTIVE';

interface HookHeader {
  key: string;
  value: string;
}

export interface EventHookRecord {
  id: string;
  seq: number;
  name: string;
  description: string | null;
  status: HookStatus;
  verificationStatus: 'UNVERIFIED' | 'VERIFIED';
  created: string;
  createdBy: string;
  lastUpdated: string;
  eventTypes: string[];
  filter: { eventFilterMap: unknown[] } | null;
  uri: string;
  headers: HookHeader[];
  /** The header that authenticates Okta to the endpoint; `value` is a secret and never answered. */
  authScheme: { type: 'HEADER'; key: string; value: string } | null;
}

interface EventHookSlice {
  byId: Map<string, EventHookRecord>;
  nextSeq: number;
}

export function eventHooksOf(org: SandboxOrg): EventHookSlice {
  return org.slice('eventHooks', () => ({ byId: new Map(), nextSeq: 0 }));
}

/** Okta's limit of hooks that can be ACTIVE at once in one org. */
export const MAX_ACTIVE_EVENT_HOOKS = 25;

export const CHANNEL_VERSION = '1.0.0';

/**
 * Event types an event hook may subscribe to: the part of Okta's event-type catalog tagged
 * `event-hook-eligible` that concerns what this connector manages. Okta refuses ineligible types (for
 * example event_hook.*, zone.* or system.api_token.*), and so does the sandbox.
 */
export const EVENT_HOOK_ELIGIBLE_TYPES: ReadonlySet<string> = new Set([
  'application.lifecycle.activate',
  'application.lifecycle.create',
  'application.lifecycle.deactivate',
  'application.lifecycle.delete',
  'application.lifecycle.update',
  'application.user_membership.add',
  'application.user_membership.change_username',
  'application.user_membership.remove',
  'app.oauth2.as.consent.grant',
  'app.oauth2.as.consent.revoke',
  // Identity Engine only, as the catalog says; the sandbox is an Identity Engine org.
  'device.lifecycle.activate',
  'device.lifecycle.deactivate',
  'device.lifecycle.delete',
  'device.lifecycle.suspend',
  'device.lifecycle.unsuspend',
  'device.user.add',
  'device.user.remove',
  'group.application_assignment.add',
  'group.application_assignment.remove',
  'group.application_assignment.update',
  'group.lifecycle.create',
  'group.lifecycle.delete',
  'group.privilege.grant',
  'group.privilege.revoke',
  'group.profile.update',
  'group.user_membership.add',
  'group.user_membership.remove',
  'iam.role.create',
  'iam.role.delete',
  'iam.role.update',
  'system.idp.lifecycle.activate',
  'system.idp.lifecycle.create',
  'system.idp.lifecycle.deactivate',
  'system.idp.lifecycle.delete',
  'system.idp.lifecycle.update',
  'system.import.complete',
  'system.import.start',
  'system.log_stream.lifecycle.create',
  'system.log_stream.lifecycle.delete',
  'system.org.rate_limit.violation',
  'system.org.rate_limit.warning',
  'user.account.lock',
  'user.account.privilege.grant',
  'user.account.privilege.revoke',
  'user.account.report_suspicious_activity_by_enduser',
  'user.account.reset_password',
  'user.account.unlock',
  'user.account.unlock_by_admin',
  'user.account.update_password',
  'user.account.update_profile',
  'user.authentication.auth_via_IDP',
  'user.authentication.auth_via_mfa',
  'user.authentication.auth_via_social',
  'user.authentication.sso',
  'user.authentication.universal_logout',
  'user.identity_verification',
  'user.import.password',
  'user.lifecycle.activate',
  'user.lifecycle.create',
  'user.lifecycle.deactivate',
  'user.lifecycle.delete.initiated',
  'user.lifecycle.reactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.mfa.factor.activate',
  'user.mfa.factor.deactivate',
  'user.mfa.factor.reset_all',
  'user.mfa.factor.suspend',
  'user.mfa.factor.unsuspend',
  'user.mfa.factor.update',
  'user.risk.change',
  'user.risk.detect',
  'user.session.clear',
  'user.session.context.change',
  'user.session.end',
  'user.session.start',
]);

// ---------------------------------------------------------------------------------------------------------
// Looking hooks up

export function requireHook(org: SandboxOrg, hookId: string): EventHookRecord {
  const hook = eventHooksOf(org).byId.get(hookId);
  if (!hook) throw notFound(hookId, 'EventHook');
  return hook;
}

export function hookTarget(hook: EventHookRecord) {
  return { id: hook.id, type: 'EventHook', alternateId: hook.name, displayName: hook.name };
}

export function activeHookCount(org: SandboxOrg): number {
  return [...eventHooksOf(org).byId.values()].filter((hook) => hook.status === 'ACTIVE').length;
}

// ---------------------------------------------------------------------------------------------------------
// Creating

export interface EventHookBody {
  name: string;
  description?: string | null;
  events: {
    type: 'EVENT_TYPE';
    items: string[];
    filter?: { eventFilterMap?: Array<{ event?: string; condition?: unknown }> } | null;
  };
  channel: {
    type: 'HTTP';
    version: string;
    config: {
      uri: string;
      headers?: Array<HookHeader | null>;
      authScheme?: { type?: 'HEADER'; key?: string; value?: string };
    };
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

/**
 * Okta calls only HTTPS endpoints. The sandbox also takes plain http on loopback: it can reach nothing
 * else, and a local test receiver has no certificate a client would trust.
 */
function endpointProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `channel.config.uri: "${uri}" is not a valid URL`;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) return undefined;
  return 'channel.config.uri: The endpoint must use HTTPS';
}

function eventTypeProblems(body: EventHookBody): string[] {
  const items = body.events.items;
  if (items.length === 0) return ['events.items: Subscribe to at least one event type'];
  const problems = items
    .filter((type) => !EVENT_HOOK_ELIGIBLE_TYPES.has(type))
    .map((type) => `events.items: ${type} is not an event type eligible for event hooks`);
  for (const entry of body.events.filter?.eventFilterMap ?? []) {
    if (!entry.event || !items.includes(entry.event))
      problems.push(`events.filter: ${entry.event ?? '(none)'} is not one of the subscribed event types`);
  }
  return problems;
}

export function createProblems(body: EventHookBody): string[] {
  const problems: string[] = [];
  if (body.name.trim() === '') problems.push('name: The field cannot be left blank');
  if (body.channel.version !== CHANNEL_VERSION)
    problems.push(`channel.version: The only supported version is ${CHANNEL_VERSION}`);
  const endpoint = endpointProblem(body.channel.config.uri);
  if (endpoint) problems.push(endpoint);
  const auth = body.channel.config.authScheme;
  if (auth && (!auth.key || !auth.value))
    problems.push('channel.config.authScheme: Both key and value are needed for HEADER authentication');
  for (const header of body.channel.config.headers ?? [])
    if (header && !header.key) problems.push('channel.config.headers: Every header needs a key');
  return [...problems, ...eventTypeProblems(body)];
}

export function tooManyActiveHooks(): OktaHttpError {
  return validationFailed('eventHook', [
    `The org already has the maximum of ${MAX_ACTIVE_EVENT_HOOKS} active event hooks; deactivate one first.`,
  ]);
}

export function insertEventHook(
  org: SandboxOrg,
  body: EventHookBody,
  createdBy: string,
  seeded?: { verified: boolean },
): EventHookRecord {
  const slice = eventHooksOf(org);
  const now = org.now();
  const auth = body.channel.config.authScheme;
  const hook: EventHookRecord = {
    id: org.ids.id('who'),
    seq: slice.nextSeq++,
    name: body.name,
    description: body.description ?? null,
    status: 'ACTIVE',
    verificationStatus: seeded?.verified ? 'VERIFIED' : 'UNVERIFIED',
    created: now,
    createdBy,
    lastUpdated: now,
    eventTypes: [...body.events.items],
    filter: body.events.filter?.eventFilterMap ? { eventFilterMap: body.events.filter.eventFilterMap } : null,
    uri: body.channel.config.uri,
    headers: (body.channel.config.headers ?? []).filter((header): header is HookHeader => header !== null),
    authScheme: auth?.key && auth.value ? { type: 'HEADER', key: auth.key, value: auth.value } : null,
  };
  slice.byId.set(hook.id, hook);
  org.changed();
  return hook;
}

/**
 * PUT replaces the hook's registration: what the body leaves out is gone (an authScheme not sent again is
 * no longer sent to the endpoint), status and verification stay. Assumption (Okta's reference does not
 * say): a new endpoint URI must prove itself again, so it becomes UNVERIFIED; see src/sandbox/NOTES.md.
 */
export function replaceEventHookRecord(org: SandboxOrg, hook: EventHookRecord, body: EventHookBody): void {
  const auth = body.channel.config.authScheme;
  if (body.channel.config.uri !== hook.uri) hook.verificationStatus = 'UNVERIFIED';
  hook.name = body.name;
  hook.description = body.description ?? null;
  hook.eventTypes = [...body.events.items];
  hook.filter = body.events.filter?.eventFilterMap
    ? { eventFilterMap: body.events.filter.eventFilterMap }
    : null;
  hook.uri = body.channel.config.uri;
  hook.headers = (body.channel.config.headers ?? []).filter(
    (header): header is HookHeader => header !== null,
  );
  hook.authScheme = auth?.key && auth.value ? { type: 'HEADER', key: auth.key, value: auth.value } : null;
  hook.lastUpdated = org.now();
  org.changed();
}

export function setStatus(org: SandboxOrg, hook: EventHookRecord, status: HookStatus): void {
  hook.status = status;
  hook.lastUpdated = org.now();
  org.changed();
}
