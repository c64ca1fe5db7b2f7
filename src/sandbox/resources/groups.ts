/**
 * Groups and memberships: OKTA_GROUP groups (with custom profile attributes) that can be created, replaced
 * with PUT (the whole profile) and deleted; APP_GROUP groups whose membership belongs to their source; the
 * built-in Everyone group that holds every user and cannot be changed.
 */
import { alreadyExists, notFound, OktaHttpError, validationFailed } from '../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../expressions.js';
import type { SandboxOrg } from '../org.js';
import { compareKeys, type SortKey } from '../paging.js';
import { link, listPage, noContent, ok, type RouteContext, type RouteHandler } from '../route.js';
import { requireUser, type UserRecord, userHooks, userJson, usersOf, userTarget } from './users.js';

export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';

export interface GroupRecord {
  id: string;
  type: GroupType;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  profile: Record<string, unknown> & { name: string; description?: string | null };
  /** For APP_GROUP: the app the group comes from. */
  sourceAppId?: string;
}

interface GroupSlice {
  byId: Map<string, GroupRecord>;
  members: Map<string, Set<string>>;
  groupsOfUser: Map<string, Set<string>>;
  everyoneId: string;
}

export function groupsOf(org: SandboxOrg): GroupSlice {
  return org.slice('groups', (o) => {
    const now = o.now();
    const everyone: GroupRecord = {
      id: o.ids.id('00g'),
      type: 'BUILT_IN',
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      profile: { name: 'Everyone', description: 'All users in your organization' },
    };
    const slice: GroupSlice = {
      byId: new Map([[everyone.id, everyone]]),
      members: new Map(),
      groupsOfUser: new Map(),
      everyoneId: everyone.id,
    };
    o.onDelete('user', (userId) => {
      for (const groupId of slice.groupsOfUser.get(userId) ?? []) slice.members.get(groupId)?.delete(userId);
      slice.groupsOfUser.delete(userId);
    });
    return slice;
  });
}

export function requireGroup(org: SandboxOrg, groupId: string): GroupRecord {
  const group = groupsOf(org).byId.get(groupId);
  if (!group) throw notFound(groupId, 'UserGroup');
  return group;
}

/** The ids of a group's members (Everyone: every user). */
export function memberIds(org: SandboxOrg, group: GroupRecord): string[] {
  if (group.type === 'BUILT_IN') return [...usersOf(org).byId.keys()];
  return [...(groupsOf(org).members.get(group.id) ?? [])];
}

/** The groups a user belongs to, Everyone included. */
export function groupIdsOfUser(org: SandboxOrg, userId: string): string[] {
  const groups = groupsOf(org);
  return [groups.everyoneId, ...(groups.groupsOfUser.get(userId) ?? [])];
}

/** Where other modules plug in, so this module need not import them (the apps module counts apps). */
export const groupHooks = {
  appsCount: (_org: SandboxOrg, _groupId: string): number => 0,
};

export function groupJson(
  org: SandboxOrg,
  group: GroupRecord,
  expand?: string | null,
): Record<string, unknown> {
  const { sourceAppId, ...visible } = group;
  const embedded =
    expand === 'stats'
      ? {
          _embedded: {
            stats: {
              usersCount: memberIds(org, group).length,
              appsCount: groupHooks.appsCount(org, group.id),
              groupPushMappingsCount: 0,
              hasAdminPrivilege: false,
            },
          },
        }
      : {};
  return {
    ...visible,
    objectClass: [group.type === 'APP_GROUP' ? 'okta:windows_security_principal' : 'okta:user_group'],
    ...embedded,
    _links: {
      logo: [
        { name: 'medium', href: `${org.baseUrl}/assets/img/logos/groups/okta-medium.png`, type: 'image/png' },
      ],
      users: link(org, `/api/v1/groups/${group.id}/users`),
      apps: link(org, `/api/v1/groups/${group.id}/apps`),
      // An app group links to the app it comes from.
      ...(sourceAppId ? { source: link(org, `/api/v1/apps/${sourceAppId}`) } : {}),
    },
  };
}

export function groupTarget(group: GroupRecord) {
  return { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.profile.name };
}

export interface NewGroup {
  profile: Record<string, unknown>;
  type?: GroupType;
  sourceAppId?: string;
  quiet?: boolean;
}

export function insertGroup(org: SandboxOrg, input: NewGroup): GroupRecord {
  const profile = checkGroupProfile(org, input.profile, undefined);
  const now = org.now();
  const group: GroupRecord = {
    id: org.ids.id('00g'),
    type: input.type ?? 'OKTA_GROUP',
    created: now,
    lastUpdated: now,
    lastMembershipUpdated: now,
    profile,
    ...(input.sourceAppId ? { sourceAppId: input.sourceAppId } : {}),
  };
  groupsOf(org).byId.set(group.id, group);
  org.changed();
  if (!input.quiet) org.log.record('group.lifecycle.create', 'Create okta group', [groupTarget(group)]);
  return group;
}

function checkGroupProfile(org: SandboxOrg, profile: Record<string, unknown>, groupId: string | undefined) {
  const name = profile.name;
  if (typeof name !== 'string' || name.trim() === '')
    throw validationFailed('name', ['name: The field cannot be left blank']);
  for (const group of groupsOf(org).byId.values()) {
    if (
      group.id !== groupId &&
      group.profile.name.toLowerCase() === name.toLowerCase() &&
      group.type === 'OKTA_GROUP'
    ) {
      throw alreadyExists('name');
    }
  }
  return profile as GroupRecord['profile'];
}

/** Adds a member; false when the user already was one (Okta answers 204 either way). */
export function addMember(org: SandboxOrg, group: GroupRecord, user: UserRecord, quiet = false): boolean {
  const groups = groupsOf(org);
  const members = groups.members.get(group.id) ?? new Set<string>();
  if (members.has(user.id)) return false;
  members.add(user.id);
  groups.members.set(group.id, members);
  const ofUser = groups.groupsOfUser.get(user.id) ?? new Set<string>();
  ofUser.add(group.id);
  groups.groupsOfUser.set(user.id, ofUser);
  group.lastMembershipUpdated = org.now();
  org.changed();
  if (!quiet)
    org.log.record('group.user_membership.add', 'Add user to group membership', [
      userTarget(user),
      groupTarget(group),
    ]);
  return true;
}

export function removeMember(org: SandboxOrg, group: GroupRecord, user: UserRecord): void {
  const groups = groupsOf(org);
  if (!groups.members.get(group.id)?.delete(user.id)) return;
  groups.groupsOfUser.get(user.id)?.delete(group.id);
  group.lastMembershipUpdated = org.now();
  org.changed();
  org.log.record('group.user_membership.remove', 'Remove user from group membership', [
    userTarget(user),
    groupTarget(group),
  ]);
}

/** Membership of APP_GROUP and BUILT_IN groups is not Okta's to change through this API. */
function requireOktaGroup(group: GroupRecord, what: string): void {
  if (group.type !== 'OKTA_GROUP') {
    throw new OktaHttpError(400, 'E0000001', `Api validation failed: ${what}`, [
      `${what}: A ${group.type} group cannot be changed; only groups of type OKTA_GROUP can.`,
    ]);
  }
}

userHooks.checkGroupIds = (org, groupIds) => {
  for (const groupId of groupIds) requireOktaGroup(requireGroup(org, groupId), 'groupIds');
};
userHooks.addToGroups = (org, user, groupIds) => {
  for (const groupId of groupIds) addMember(org, requireGroup(org, groupId), user);
};

// ---------------------------------------------------------------------------------------------------------
// Routes

const SEARCH_RULES: ExpressionRules = {
  name: 'search',
  operators: new Set<Operator>(['eq', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr']),
  caseInsensitive: true,
};
const dates = new Set<Operator>(['eq', 'gt', 'ge', 'lt', 'le']);
const FILTER_RULES: ExpressionRules = {
  name: 'filter',
  operators: dates,
  attributes: {
    id: new Set<Operator>(['eq']),
    type: new Set<Operator>(['eq']),
    lastUpdated: dates,
    lastMembershipUpdated: dates,
  },
  caseInsensitive: false,
};
const GROUPS_PAGE = { defaultLimit: 10_000, maxLimit: 10_000 };
const MEMBERS_PAGE = { defaultLimit: 1000, maxLimit: 10_000 };

const listGroups: RouteHandler = (context) => {
  const { org, query } = context;
  const expand = query.get('expand');
  const all = [...groupsOf(org).byId.values()];
  const byName = (g: GroupRecord): SortKey => [g.profile.name.toLowerCase(), g.id];
  const q = query.get('q');
  if (q !== null) {
    // q: an autocomplete picker. Not pageable; up to 300 (or limit) matches.
    const limit = Math.min(Number(query.get('limit') ?? 300) || 300, 10_000);
    const matches = all
      .filter((g) => g.profile.name.toLowerCase().startsWith(q.toLowerCase()))
      .sort((a, b) => compareKeys(byName(a), byName(b)))
      .slice(0, limit);
    return ok(matches.map((g) => groupJson(org, g, expand)));
  }
  const search = query.get('search');
  const filter = query.get('filter');
  if (search !== null && filter !== null) {
    throw new OktaHttpError(400, 'E0000031', 'Invalid search criteria.', [
      'Use either search or filter, not both.',
    ]);
  }
  const expression =
    search !== null
      ? parseExpression(search, SEARCH_RULES)
      : filter !== null
        ? parseExpression(filter, FILTER_RULES)
        : undefined;
  const sortBy = search !== null ? query.get('sortBy') : null;
  const descending = sortBy !== null && query.get('sortOrder') === 'desc';
  const keyOf = (g: GroupRecord): SortKey => (sortBy ? [sortValue(g, sortBy), g.id] : byName(g));
  const sorted = org.cachedList(`groups|${search}|${filter}|${sortBy}|${descending}`, () =>
    all
      .filter((g) => !expression || evaluate(expression, g, search !== null))
      .sort((a, b) => compareKeys(keyOf(a), keyOf(b)) * (descending ? -1 : 1)),
  );
  return listPage(context, sorted, keyOf, GROUPS_PAGE, (g) => groupJson(org, g, expand), descending);
};

function sortValue(group: GroupRecord, path: string): string | null {
  let current: unknown = group;
  for (const part of path.split('.')) current = (current as Record<string, unknown> | undefined)?.[part];
  return current == null ? null : String(current).toLowerCase();
}

const addGroup: RouteHandler = (context) => {
  const body = context.body as { profile: Record<string, unknown> };
  return ok(groupJson(context.org, insertGroup(context.org, { profile: { ...body.profile } })));
};

const getGroup: RouteHandler = (context) =>
  ok(groupJson(context.org, requireGroup(context.org, context.params.groupId!)));

/** PUT replaces the whole profile: custom attributes left out are gone. */
const replaceGroup: RouteHandler = (context) => {
  const { org } = context;
  const group = requireGroup(org, context.params.groupId!);
  requireOktaGroup(group, 'profile');
  group.profile = checkGroupProfile(
    org,
    { ...(context.body as { profile: Record<string, unknown> }).profile },
    group.id,
  );
  group.lastUpdated = org.now();
  org.changed();
  org.log.record('group.profile.update', 'Update group profile', [groupTarget(group)]);
  return ok(groupJson(org, group));
};

const deleteGroup: RouteHandler = (context) => {
  const { org } = context;
  const group = requireGroup(org, context.params.groupId!);
  requireOktaGroup(group, 'group');
  const groups = groupsOf(org);
  for (const userId of groups.members.get(group.id) ?? []) groups.groupsOfUser.get(userId)?.delete(group.id);
  groups.members.delete(group.id);
  groups.byId.delete(group.id);
  org.log.record('group.lifecycle.delete', 'Delete okta group', [groupTarget(group)]);
  org.deleted('group', group.id);
  return noContent();
};

const listGroupUsers: RouteHandler = (context) => {
  const { org } = context;
  const group = requireGroup(org, context.params.groupId!);
  const users = usersOf(org).byId;
  const sorted = org.cachedList(`members|${group.id}`, () =>
    memberIds(org, group)
      .sort()
      .map((id) => users.get(id)!)
      .filter(Boolean),
  );
  return listPage(
    context,
    sorted,
    (u) => [u.id],
    MEMBERS_PAGE,
    (u) => userJson(org, u),
  );
};

const assignUserToGroup: RouteHandler = (context) => {
  const { org } = context;
  const group = requireGroup(org, context.params.groupId!);
  const user = requireUser(org, context.params.userId!);
  requireOktaGroup(group, 'group');
  addMember(org, group, user);
  return noContent();
};

const unassignUserFromGroup: RouteHandler = (context) => {
  const { org } = context;
  const group = requireGroup(org, context.params.groupId!);
  const user = requireUser(org, context.params.userId!);
  requireOktaGroup(group, 'group');
  removeMember(org, group, user);
  return noContent();
};

/** GET /users/{id}/groups: every group of the user, in one answer (Okta does not page it). */
const listUserGroups: RouteHandler = (context: RouteContext) => {
  const { org } = context;
  const user = requireUser(org, context.params.id!, context.principal.userId);
  const groups = groupsOf(org).byId;
  return ok(groupIdsOfUser(org, user.id).map((id) => groupJson(org, groups.get(id)!)));
};

export const groupRoutes: Record<string, RouteHandler> = {
  listGroups,
  addGroup,
  getGroup,
  replaceGroup,
  deleteGroup,
  listGroupUsers,
  assignUserToGroup,
  unassignUserFromGroup,
  listUserGroups,
};
