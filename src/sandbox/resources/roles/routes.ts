/** The operations on a user's admin roles, and the list of the org's custom roles. */
import { notFound } from '../../errors.js';
import { compareKeys, pageOf, type SortKey } from '../../paging.js';
import { created, noContent, ok, type RouteHandler } from '../../route.js';
import { requireUser, userTarget } from '../users/model.js';
import {
  assignmentsOf,
  assignRole,
  type CustomRoleRecord,
  checkNotLastSuperAdmin,
  type RoleRequest,
  rolesOf,
  roleTarget,
} from './model.js';
import { assignmentJson, customRoleJson } from './render.js';

interface AssignRoleBody {
  type: string;
  role?: string;
  'resource-set'?: string;
}

const listAssignedRolesForUser: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  return ok(assignmentsOf(org, user.id).map((assignment) => assignmentJson(org, assignment)));
};

/** disableNotifications (third-party admins) changes nothing the sandbox models. */
const assignRoleToUser: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  const body = context.body as AssignRoleBody;
  const request: RoleRequest =
    body.type === 'CUSTOM'
      ? { type: 'CUSTOM', role: body.role!, resourceSet: body['resource-set']! }
      : { type: body.type };
  return created(assignmentJson(org, assignRole(org, user, request)));
};

const unassignRoleFromUser: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  const assignmentId = context.params.roleAssignmentId!;
  const held = assignmentsOf(org, user.id);
  const assignment = held.find((candidate) => candidate.id === assignmentId);
  if (!assignment) throw notFound(assignmentId, 'RoleAssignment');
  checkNotLastSuperAdmin(org, assignment);
  rolesOf(org).assignments.set(
    user.id,
    held.filter((candidate) => candidate !== assignment),
  );
  org.changed();
  org.log.record('user.account.privilege.revoke', 'Revoke user privilege', [
    userTarget(user),
    roleTarget(assignment),
  ]);
  return noContent();
};

/** Custom roles per page; the operation takes no `limit`, so the page size is fixed. */
export const CUSTOM_ROLES_PAGE_SIZE = 20;

/** GET /iam/roles pages with `_links.next` in the body (and the Link header), by label. */
const listRoles: RouteHandler = (context) => {
  const { org } = context;
  const keyOf = (role: CustomRoleRecord): SortKey => [role.label.toLowerCase(), role.id];
  const sorted = org.cachedList('customRoles', () =>
    [...rolesOf(org).customRoles.values()].sort((a, b) => compareKeys(keyOf(a), keyOf(b))),
  );
  const page = pageOf({ baseUrl: org.baseUrl, url: context.url }, sorted, keyOf, {
    defaultLimit: CUSTOM_ROLES_PAGE_SIZE,
    maxLimit: CUSTOM_ROLES_PAGE_SIZE,
  });
  const { next, linkHeader } = withoutLimitInNextLink(page.headers.link ?? '');
  return ok(
    {
      roles: page.items.map((role) => customRoleJson(org, role)),
      _links: next ? { next: { href: next } } : {},
    },
    { link: linkHeader },
  );
};

/**
 * The paging helper writes `limit` into the next link; this operation declares no `limit` parameter, so a
 * client following that link would be refused. The cursor alone continues the list.
 */
function withoutLimitInNextLink(linkHeader: string): { next: string | undefined; linkHeader: string } {
  const match = /<([^>]*)>; rel="next"/.exec(linkHeader);
  if (!match) return { next: undefined, linkHeader };
  const next = new URL(match[1]!);
  next.searchParams.delete('limit');
  return { next: next.href, linkHeader: linkHeader.replace(match[0], `<${next.href}>; rel="next"`) };
}

export const rolesRoutes: Record<string, RouteHandler> = {
  listAssignedRolesForUser,
  assignRoleToUser,
  unassignRoleFromUser,
  listRoles,
};
