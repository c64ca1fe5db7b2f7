import { type ExpressionRules, evaluate, type Operator } from '../../expressions.js';
import { listCriteria, sortValueAt } from '../../list-criteria.js';
import { compareKeys, type SortKey } from '../../paging.js';
import { listPage, noContent, ok, type RouteContext, type RouteHandler } from '../../route.js';
import { requireUser, usersOf } from '../users/model.js';
import { userJson } from '../users/render.js';
import {
  addMember,
  checkGroupProfile,
  type GroupRecord,
  groupIdsOfUser,
  groupsOf,
  groupTarget,
  insertGroup,
  memberIds,
  removeMember,
  requireGroup,
  requireOktaGroup,
} from './model.js';
import { groupJson } from './render.js';

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
  const { search, filter, expression, sortBy, descending } = listCriteria(query, {
    search: SEARCH_RULES,
    filter: FILTER_RULES,
  });
  const keyOf = (g: GroupRecord): SortKey => (sortBy ? [sortValueAt(g, sortBy, 'as text'), g.id] : byName(g));
  const sorted = org.cachedList(`groups|${search}|${filter}|${sortBy}|${descending}`, () =>
    all
      .filter((g) => !expression || evaluate(expression, g, search !== null))
      .sort((a, b) => compareKeys(keyOf(a), keyOf(b)) * (descending ? -1 : 1)),
  );
  return listPage(context, sorted, keyOf, GROUPS_PAGE, (g) => groupJson(org, g, expand), descending);
};

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
