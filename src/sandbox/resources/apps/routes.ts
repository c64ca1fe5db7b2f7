/**
 * The Applications API's operations the sandbox serves: apps and their lifecycle, application users, group
 * assignments, a group's apps, and a user's app links.
 */
import { notFound, OktaHttpError } from '../../errors.js';
import {
  type Expression,
  type ExpressionRules,
  evaluate,
  type Operator,
  parseExpression,
} from '../../expressions.js';
import type { SandboxOrg } from '../../org.js';
import { compareKeys, type PageRules, type SortKey } from '../../paging.js';
import { listPage, noContent, ok, type RouteContext, type RouteHandler } from '../../route.js';
import { groupsOf, groupTarget, memberIds, requireGroup } from '../groups/model.js';
import { requireUser, type UserRecord, usersOf } from '../users/model.js';
import {
  applyChanges,
  assignGroup,
  assignUser,
  changeGroupAccess,
  checkCredentials,
  newAppUserRecord,
  setStatus,
} from './assignments.js';
import {
  type Access,
  type AppRecord,
  type AppStatus,
  accessOf,
  activeAccessOf,
  appsOf,
  appTarget,
  appUsersOf,
  assignedUserIds,
  assignmentIdOf,
  defaultUserName,
  type GroupAssignmentRecord,
  groupAssignmentsOf,
  logMembership,
  mappedProfile,
  renumber,
  requireAccess,
  requireApp,
  requireUserById,
} from './model.js';
import { appJson, appUserJson, dashboardUrl, groupAssignmentJson, logoUrl } from './render.js';

// ---------------------------------------------------------------------------------------------------------
// Routes: applications

/** Okta's filter on SAML single logout reads `settings.slo.enabled`; the sandbox's apps never enable it. */
function filterSubject(org: SandboxOrg, app: AppRecord, userIds: string[], groupIds: string[]) {
  const users = usersOf(org).byId;
  const assignments = appsOf(org).groupAssignments.get(app.id) ?? [];
  return {
    id: app.id,
    name: app.name,
    status: app.status,
    credentials: { signing: { kid: app.signingKid } },
    settings: { slo: { enabled: false } },
    // Only the ids the expression names are looked up: an app assigned to Everyone has every user.
    user: { id: userIds.filter((id) => activeAccessOf(org, app, users.get(id))) },
    group: { id: groupIds.filter((id) => assignments.some((a) => a.groupId === id)) },
  };
}

const eqOnly = new Set<Operator>(['eq']);
const APP_FILTER_RULES: ExpressionRules = {
  name: 'filter',
  operators: eqOnly,
  attributes: {
    id: eqOnly,
    name: eqOnly,
    status: eqOnly,
    'user.id': eqOnly,
    'group.id': eqOnly,
    'credentials.signing.kid': eqOnly,
    'settings.slo.enabled': eqOnly,
  },
  caseInsensitive: false,
};
// The description gives listApplications a default of -1 ("the server's default"): Okta pages by 20.
const APPS_PAGE: PageRules = { defaultLimit: 20, maxLimit: 200 };
const APP_USERS_PAGE: PageRules = { defaultLimit: 50, maxLimit: 500 };
const GROUP_ASSIGNMENTS_PAGE: PageRules = { defaultLimit: 20, maxLimit: 200 };
const GROUP_APPS_PAGE: PageRules = { defaultLimit: 20, maxLimit: 200 };

/** The values an expression compares `attribute` with (the user ids of `user.id eq "..."`). */
function valuesNamed(expression: Expression | undefined, attribute: string): string[] {
  if (!expression) return [];
  if (expression.kind !== 'compare') {
    return [...valuesNamed(expression.left, attribute), ...valuesNamed(expression.right, attribute)];
  }
  return expression.attribute === attribute ? [String(expression.value)] : [];
}

/** `limit=-1`, the documented default, asks for the server's own page size. */
function withoutDefaultLimit(context: RouteContext): RouteContext {
  if (context.query.get('limit') !== '-1') return context;
  const url = new URL(context.url.href);
  url.searchParams.delete('limit');
  return { ...context, url, query: url.searchParams };
}

/**
 * GET /apps: ACTIVE and INACTIVE apps, by id. `expand=user/{id}` is not embedded: the description's
 * Application `_embedded.user` allows only object-valued properties, which an app user is not.
 * `useOptimization`, `alwaysIncludeVpnSettings` and `includeNonDeleted` change nothing here (no app is
 * ever being deleted, and VPN notifications are never configured).
 */
const listApplications: RouteHandler = (context) => {
  const { org, query } = context;
  const q = query.get('q');
  const filter = query.get('filter');
  const expression = filter !== null ? parseExpression(filter, APP_FILTER_RULES) : undefined;
  const userIds = valuesNamed(expression, 'user.id');
  const groupIds = valuesNamed(expression, 'group.id');
  const prefix = q?.toLowerCase();
  const sorted = org.cachedList(`apps|${q}|${filter}`, () =>
    [...appsOf(org).byId.values()]
      .filter(
        (app) =>
          prefix === undefined ||
          app.name.toLowerCase().startsWith(prefix) ||
          app.label.toLowerCase().startsWith(prefix),
      )
      .filter((app) => !expression || evaluate(expression, filterSubject(org, app, userIds, groupIds), false))
      .sort((a, b) => compareKeys([a.id], [b.id])),
  );
  return listPage(
    withoutDefaultLimit(context),
    sorted,
    (app) => [app.id],
    APPS_PAGE,
    (app) => appJson(org, app),
  );
};

/** `expand=user/{id}` is not embedded, for the reason given at listApplications. */
const getApplication: RouteHandler = (context) =>
  ok(appJson(context.org, requireApp(context.org, context.params.appId!)));

/**
 * Activating an ACTIVE app or deactivating an INACTIVE one changes nothing and still answers 200: the
 * description documents no error for it, and Okta treats the lifecycle calls as idempotent.
 */
function lifecycle(to: AppStatus, eventType: string, message: string): RouteHandler {
  return (context) => {
    const { org } = context;
    const app = requireApp(org, context.params.appId!);
    if (app.status !== to) {
      org.log.record(eventType, message, [appTarget(app)]);
      setStatus(org, app, to);
    }
    return ok(undefined);
  };
}

const activateApplication = lifecycle('ACTIVE', 'application.lifecycle.activate', 'Activate application');
const deactivateApplication = lifecycle(
  'INACTIVE',
  'application.lifecycle.deactivate',
  'Deactivate application',
);

// ---------------------------------------------------------------------------------------------------------
// Routes: application users

/** `q` matches the start of the app username, first name, last name or email, regardless of case. */
function matchesAppUserQuery(app: AppRecord, user: UserRecord, access: Access, prefix: string): boolean {
  const profile = { ...mappedProfile(app, user), ...access.record?.profile };
  const userName = access.record?.userName ?? defaultUserName(app, user);
  return [userName, profile.firstName, profile.lastName, profile.email].some(
    (value) => typeof value === 'string' && value.toLowerCase().startsWith(prefix),
  );
}

const listApplicationUsers: RouteHandler = (context) => {
  const { org, query } = context;
  const app = requireApp(org, context.params.appId!);
  const q = query.get('q')?.toLowerCase();
  const users = usersOf(org).byId;
  const sorted = org.cachedList(`appUsers|${app.id}|${q}`, () =>
    assignedUserIds(org, app)
      .map((id) => ({ user: users.get(id)!, access: accessOf(org, app, id)! }))
      .filter(({ user, access }) => q === undefined || matchesAppUserQuery(app, user, access, q)),
  );
  return listPage(
    context,
    sorted,
    ({ user }) => [user.id],
    APP_USERS_PAGE,
    ({ user, access }) => appUserJson(org, app, user, access, query.get('expand')),
  );
};

interface AppUserBody {
  id?: string;
  scope?: 'USER' | 'GROUP';
  credentials?: { userName?: string; password?: { value?: string } };
  profile?: Record<string, unknown>;
}

const assignUserToApplication: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const body = context.body as AppUserBody;
  const user = requireUserById(org, body.id!);
  const access = assignUser(org, app, user, {
    scope: body.scope,
    userName: body.credentials?.userName,
    password: body.credentials?.password?.value,
    profile: body.profile,
  });
  return ok(appUserJson(org, app, user, access));
};

const getApplicationUser: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const { user, access } = requireAccess(org, app, context.params.userId!);
  return ok(appUserJson(org, app, user, access, context.query.get('expand')));
};

/** POST: only what is sent changes (a username, a password, profile attributes); the scope stays. */
const updateApplicationUser: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const { user, access } = requireAccess(org, app, context.params.userId!);
  const body = (context.body ?? {}) as AppUserBody;
  const userName = body.credentials?.userName;
  const password = body.credentials?.password?.value;
  checkCredentials(app, userName, password);
  const now = org.now();
  const record = access.record ?? newAppUserRecord(access.grant?.created ?? now, now);
  const changes = applyChanges(record, app, user, { userName, password, profile: body.profile }, now);
  appUsersOf(org, app).set(user.id, record);
  org.changed();
  for (const change of changes) logMembership(org, change, app, user);
  return ok(appUserJson(org, app, user, { ...access, record }));
};

/**
 * DELETE: a user whose groups give the app cannot be unassigned (Okta answers E0000046, whether or not the
 * user also has a direct assignment): the group assignment has to go, or the user leave the group.
 * `sendEmail` only mails the admin in Okta; nothing here sends mail.
 */
const unassignUserFromApplication: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const { user, access } = requireAccess(org, app, context.params.userId!);
  if (access.grant) {
    throw new OktaHttpError(403, 'E0000046', 'Deactivate application for user forbidden.', [
      'The application cannot be unassigned from the user while their group memberships grant them access',
    ]);
  }
  appsOf(org).appUsers.get(app.id)?.delete(user.id);
  org.changed();
  logMembership(org, 'remove', app, user);
  return noContent();
};

// ---------------------------------------------------------------------------------------------------------
// Routes: group assignments

/** `expand=group` embeds the group; `expand=metadata` (where each profile value comes from) is not modelled. */
const listApplicationGroupAssignments: RouteHandler = (context) => {
  const { org, query } = context;
  const app = requireApp(org, context.params.appId!);
  const q = query.get('q')?.toLowerCase();
  const groups = groupsOf(org).byId;
  const keyOf = (a: GroupAssignmentRecord): SortKey => [a.priority, a.groupId];
  const sorted = org.cachedList(`appGroups|${app.id}|${q}`, () =>
    (appsOf(org).groupAssignments.get(app.id) ?? []).filter(
      (a) => q === undefined || (groups.get(a.groupId)?.profile.name.toLowerCase().startsWith(q) ?? false),
    ),
  );
  return listPage(context, sorted, keyOf, GROUP_ASSIGNMENTS_PAGE, (a) =>
    groupAssignmentJson(org, app, a, query.get('expand')),
  );
};

/** PUT with an optional body: a new assignment, or new priority and profile for an existing one. */
const assignGroupToApplication: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const group = requireGroup(org, context.params.groupId!);
  const body = (context.body ?? {}) as { priority?: number; profile?: Record<string, unknown> };
  const assignment = assignGroup(org, app, group, { priority: body.priority, profile: body.profile });
  return ok(groupAssignmentJson(org, app, assignment));
};

/** Its members lose the app unless another assigned group holds them or they are assigned directly. */
const unassignApplicationFromGroup: RouteHandler = (context) => {
  const { org } = context;
  const app = requireApp(org, context.params.appId!);
  const group = requireGroup(org, context.params.groupId!);
  const assignments = groupAssignmentsOf(org, app);
  const assignment = assignments.find((a) => a.groupId === group.id);
  if (!assignment) throw notFound(group.id, 'ApplicationGroupAssignment');
  org.log.record('group.application_assignment.remove', 'Unassign application from group', [
    groupTarget(group),
    appTarget(app),
  ]);
  changeGroupAccess(org, app, memberIds(org, group), () => {
    assignments.splice(assignments.indexOf(assignment), 1);
    renumber(assignments);
  });
  return noContent();
};

const listAssignedApplicationsForGroup: RouteHandler = (context) => {
  const { org } = context;
  const group = requireGroup(org, context.params.groupId!);
  const slice = appsOf(org);
  const sorted = org.cachedList(`groupApps|${group.id}`, () =>
    [...slice.byId.values()]
      .filter((app) => (slice.groupAssignments.get(app.id) ?? []).some((a) => a.groupId === group.id))
      .sort((a, b) => compareKeys([a.id], [b.id])),
  );
  return listPage(
    context,
    sorted,
    (app) => [app.id],
    GROUP_APPS_PAGE,
    (app) => appJson(org, app),
  );
};

// ---------------------------------------------------------------------------------------------------------
// Routes: a user's app links

/**
 * GET /users/{id}/appLinks: a link for each ACTIVE app the user has, directly or through a group, in the
 * order of the user's dashboard (by label). Okta writes the user's id as each link's `id`, as its
 * description's examples show. `credentialsSetup` tells whether an SWA app has the user's password.
 */
const listAppLinks: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.id!, context.principal.userId);
  const apps = [...appsOf(org).byId.values()]
    .filter((app) => app.status === 'ACTIVE')
    .map((app) => ({ app, access: activeAccessOf(org, app, user) }))
    .filter((entry): entry is { app: AppRecord; access: Access } => entry.access !== undefined)
    .sort((a, b) =>
      compareKeys([a.app.label.toLowerCase(), a.app.id], [b.app.label.toLowerCase(), b.app.id]),
    );
  return ok(
    apps.map(({ app, access }, sortOrder) => ({
      id: user.id,
      label: app.label,
      linkUrl: dashboardUrl(org, app),
      logoUrl: logoUrl(org, app),
      appName: app.name,
      appInstanceId: app.id,
      appAssignmentId: assignmentIdOf(app, user.id),
      credentialsSetup: app.kind === 'swa' && access.record?.password !== undefined,
      hidden: app.hidden,
      sortOrder,
    })),
  );
};

export const appsRoutes: Record<string, RouteHandler> = {
  listApplications,
  getApplication,
  activateApplication,
  deactivateApplication,
  listApplicationUsers,
  assignUserToApplication,
  getApplicationUser,
  updateApplicationUser,
  unassignUserFromApplication,
  listApplicationGroupAssignments,
  assignGroupToApplication,
  unassignApplicationFromGroup,
  listAssignedApplicationsForGroup,
  listAppLinks,
};
