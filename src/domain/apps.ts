/**
 * Applications and their assignments, read the way every app action needs: raw (lossless) JSON, and an
 * assignment that does not exist told apart from an app or user that does not exist.
 */

import { ActionError } from '../errors/action-error.js';
import type { ActionHandler } from '../handler/define-action.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';
import { applyOnce } from './create-once.js';
import { unlessMissing } from './missing.js';

/** An app as Okta sends it; only what the actions read is typed. */
export interface OktaAppJson {
  id: string;
  name: string;
  label: string;
  status: string;
  [field: string]: unknown;
}

/** A user's assignment to an app (an "app user") as Okta sends it. */
export interface OktaAppUserJson {
  id: string;
  scope?: string;
  status?: string;
  credentials?: { userName?: string; password?: Record<string, unknown>; [field: string]: unknown };
  profile?: Record<string, unknown>;
  _links?: { group?: { href?: string }; [name: string]: unknown };
  [field: string]: unknown;
}

/** A group's assignment to an app as Okta sends it. */
export interface OktaAppGroupJson {
  id: string;
  priority?: number;
  profile?: Record<string, unknown>;
  [field: string]: unknown;
}

export function appPath(appId: string): string {
  return oktaPath('/api/v1/apps/{appId}', { appId });
}

export function appUserPath(appId: string, userId: string): string {
  return oktaPath('/api/v1/apps/{appId}/users/{userId}', { appId, userId });
}

export function appGroupPath(appId: string, groupId: string): string {
  return oktaPath('/api/v1/apps/{appId}/groups/{groupId}', { appId, groupId });
}

/** GET /api/v1/apps/{appId}, raw: the SDK's Application models keep only the fields they know. */
export function getApp(okta: OktaContext, appId: string): Promise<OktaAppJson> {
  return okta.getJson<OktaAppJson>(appPath(appId));
}

/**
 * The user's assignment to the app, or undefined when the user is not assigned. Okta answers 404 alike for
 * "not assigned" and for an app that does not exist, so on a 404 the app is read: a mistyped app id fails
 * with NOT_FOUND instead of passing as "not assigned". The caller has already read the user.
 */
export async function findAppUser(
  okta: OktaContext,
  appId: string,
  userId: string,
): Promise<OktaAppUserJson | undefined> {
  const appUser = await unlessMissing(() => okta.getJson<OktaAppUserJson>(appUserPath(appId, userId)), true);
  if (appUser) return appUser;
  await getApp(okta, appId);
  return undefined;
}

/** The user's assignment to the app; NOT_FOUND, saying what would help, when there is none. */
export async function requireAppUser(
  okta: OktaContext,
  appId: string,
  userId: string,
  query?: { expand?: string },
): Promise<OktaAppUserJson> {
  const appUser = await unlessMissing(
    () => okta.getJson<OktaAppUserJson>(appUserPath(appId, userId), query),
    true,
  );
  if (appUser) return appUser;
  await getApp(okta, appId);
  throw new ActionError(
    'NOT_FOUND',
    `User ${userId} is not assigned to app ${appId} (or the user does not exist). List Application Users shows who is; assign-user-to-app assigns the user.`,
    { retryable: false, status: 404 },
  );
}

/** How many of an app's group assignments one read of the pagination helper returns. */
const GROUP_ASSIGNMENT_BATCH = 1000;

/**
 * The group's assignment to the app, or undefined. Read from the app's list of group assignments (to the
 * end): the list 404s for an app that does not exist, so that is never mistaken for "not assigned".
 */
export async function findAppGroupAssignment(
  okta: OktaContext,
  appId: string,
  groupId: string,
): Promise<OktaAppGroupJson | undefined> {
  const path = oktaPath('/api/v1/apps/{appId}/groups', { appId });
  let cursor: string | undefined;
  do {
    const page = await okta.paginate<OktaAppGroupJson>({
      path,
      // Okta's page size for group assignments is 20 to 200.
      everyPage: { limit: 200 },
      maxItems: GROUP_ASSIGNMENT_BATCH,
      ...(cursor ? { cursor } : {}),
    });
    const found = page.items.find((assignment) => assignment.id === groupId);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}

/** The stable fields a flow maps from an app user, plus the whole object under `appUser`. */
export function appUserResult(appId: string, appUser: OktaAppUserJson) {
  return {
    appId,
    userId: appUser.id,
    scope: appUser.scope ?? null,
    status: appUser.status ?? null,
    userName: appUser.credentials?.userName ?? null,
    appUser,
  };
}

/** The group that gives a group-scoped app user the app, from the app user's `group` link. */
export function grantingGroupId(appUser: OktaAppUserJson): string | undefined {
  const href = appUser._links?.group?.href;
  return href ? decodeURIComponent(href.split('/').pop() ?? '') || undefined : undefined;
}

/** Okta treats a missing attribute and null alike; arrays and objects compare by content. */
export function sameValue(current: unknown, wanted: unknown): boolean {
  return JSON.stringify(current ?? null) === JSON.stringify(wanted ?? null);
}

/** Names of the attributes of `wanted` whose value differs from `current`'s. */
export function differingAttributes(
  current: Record<string, unknown> | undefined,
  wanted: Record<string, unknown> | undefined,
): string[] {
  if (!wanted) return [];
  return Object.keys(wanted).filter((name) => !sameValue(current?.[name], wanted[name]));
}

/** What an app action may set on a user's assignment. */
export interface AppUserValues {
  userName?: string;
  password?: string;
  profile?: Record<string, unknown>;
}

/** The body of POST /api/v1/apps/{appId}/users/{userId}: only what changes. */
export interface AppUserUpdate {
  credentials?: { userName?: string; password?: { value: string } };
  profile?: Record<string, unknown>;
}

/**
 * What must change on an existing assignment to match `wanted`: the names of the changed fields (like
 * `credentials.userName` or `profile.role`) and the partial update that changes exactly those. A password
 * cannot be read back (Okta answers an empty object once one is set), so it is never compared: `password`
 * says whether a given one is sent always, or only when the assignment has none yet.
 */
export function appUserChanges(
  current: OktaAppUserJson,
  wanted: AppUserValues,
  password: 'always' | 'ifNoneSet',
): { fields: string[]; update: AppUserUpdate } {
  const fields: string[] = [];
  const credentials: NonNullable<AppUserUpdate['credentials']> = {};
  if (wanted.userName !== undefined && wanted.userName !== current.credentials?.userName) {
    credentials.userName = wanted.userName;
    fields.push('credentials.userName');
  }
  const hasPassword = current.credentials?.password !== undefined;
  if (wanted.password !== undefined && (password === 'always' || !hasPassword)) {
    credentials.password = { value: wanted.password };
    fields.push('credentials.password');
  }
  const profileNames = differingAttributes(current.profile, wanted.profile);
  fields.push(...profileNames.map((name) => `profile.${name}`));
  // Only the changed attributes are sent: Okta keeps the others, and attributes its profile mappings fill
  // must not be sent back as if they were set by hand.
  const profile = Object.fromEntries(profileNames.map((name) => [name, wanted.profile?.[name] ?? null]));
  return {
    fields,
    update: {
      ...(Object.keys(credentials).length > 0 ? { credentials } : {}),
      ...(profileNames.length > 0 ? { profile } : {}),
    },
  };
}

/** The fields a new assignment sets, named like appUserChanges names them. */
export function assignedFields(values: AppUserValues): string[] {
  return [
    ...(values.userName !== undefined ? ['credentials.userName'] : []),
    ...(values.password !== undefined ? ['credentials.password'] : []),
    ...Object.keys(values.profile ?? {}).map((name) => `profile.${name}`),
  ];
}

export interface AppStatusChange {
  id: string;
  label: string;
  status: string;
  previousStatus: string;
  changed: boolean;
}

/**
 * Activate or deactivate an app. Its status is read first: Okta's description documents no error for
 * activating an active app (or deactivating an inactive one), so its answer cannot tell a flow whether
 * anything changed.
 */
export function appLifecycleHandler<Input extends { appId: string }>(spec: {
  operation: 'activate' | 'deactivate';
  send: (okta: OktaContext, appId: string) => Promise<unknown>;
}): ActionHandler<Input, AppStatusChange> {
  const to = spec.operation === 'activate' ? 'ACTIVE' : 'INACTIVE';
  const from = spec.operation === 'activate' ? 'INACTIVE' : 'ACTIVE';
  return async ({ okta, input, change, settleLastChange }) => {
    const app = await getApp(okta, input.appId);
    const before = { id: app.id, label: app.label, previousStatus: app.status };
    if (app.status === to) return { ...before, status: to, changed: false };
    if (app.status !== from) {
      throw new ActionError(
        'CONFLICT',
        `App "${app.label}" (${app.id}) is ${app.status}; only ${from} apps can be ${spec.operation}d. Nothing was changed.`,
        { retryable: false },
      );
    }
    await applyOnce(
      { change, settleLastChange },
      {
        step: spec.operation,
        request: { method: 'POST', path: `${appPath(app.id)}/lifecycle/${spec.operation}` },
        send: () => spec.send(okta, app.id),
        isDone: async () => (await okta.getJson<{ status?: string }>(appPath(app.id))).status === to,
      },
    );
    return { ...before, status: to, changed: true };
  };
}
