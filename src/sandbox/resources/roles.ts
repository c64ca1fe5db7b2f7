/**
 * Admin roles assigned to users: Okta's standard roles (SUPER_ADMIN, ORG_ADMIN, ...) and custom roles bound
 * to a resource set, plus the list of the org's custom roles. A user holds each role at most once (Okta
 * answers 409 E0000090 to a second assignment), and the org always keeps at least one Super Administrator.
 */
import { notFound, OktaHttpError, validationFailed } from '../errors.js';
import type { SandboxOrg } from '../org.js';
import { compareKeys, pageOf, type SortKey } from '../paging.js';
import { created, noContent, ok, type RouteHandler } from '../route.js';
import type { SeededOrg } from '../seed.js';
import { requireUser, type UserRecord, userTarget } from './users/model.js';

/** Okta's label for each standard role, as role assignments show it. */
const STANDARD_ROLE_LABELS: Readonly<Record<string, string>> = {
  SUPER_ADMIN: 'Super Organization administrator',
  ORG_ADMIN: 'Organization administrator',
  APP_ADMIN: 'Application administrator',
  USER_ADMIN: 'Group administrator',
  GROUP_MEMBERSHIP_ADMIN: 'Group membership administrator',
  HELP_DESK_ADMIN: 'Help desk administrator',
  READ_ONLY_ADMIN: 'Read-only administrator',
  MOBILE_ADMIN: 'Mobile administrator',
  REPORT_ADMIN: 'Report administrator',
  API_ACCESS_MANAGEMENT_ADMIN: 'API access management administrator',
  WORKFLOWS_ADMIN: 'Workflows administrator',
  ACCESS_CERTIFICATIONS_ADMIN: 'Access certifications administrator',
  ACCESS_REQUESTS_ADMIN: 'Access requests administrator',
};

/**
 * Standard roles that Okta runs on its IAM platform: assigned like any standard role, but answered like a
 * custom role assignment, with Okta's own role and resource-set ids.
 */
const IAM_BASED_ROLE_RESOURCE_SETS: Readonly<Record<string, string>> = {
  WORKFLOWS_ADMIN: 'WORKFLOWS_IAM_POLICY',
  ACCESS_CERTIFICATIONS_ADMIN: 'ACCESS_CERTIFICATIONS_IAM_POLICY',
  ACCESS_REQUESTS_ADMIN: 'ACCESS_CERTIFICATIONS_IAM_POLICY',
};

export interface RoleAssignmentRecord {
  id: string;
  userId: string;
  /** A standard role type, or CUSTOM. */
  type: string;
  label: string;
  created: string;
  lastUpdated: string;
  /** For custom and IAM-based roles: the role and the resource set it is bound to. */
  binding?: { role: string; resourceSet: string };
}

export interface CustomRoleRecord {
  id: string;
  label: string;
  description: string;
  created: string;
  lastUpdated: string;
}

interface RoleSlice {
  assignments: Map<string, RoleAssignmentRecord[]>;
  customRoles: Map<string, CustomRoleRecord>;
  /** Resource sets custom roles can be bound to (not served here: only checked against). */
  resourceSets: Map<string, { id: string; label: string }>;
}

export function rolesOf(org: SandboxOrg): RoleSlice {
  return org.slice('roles', (o) => {
    const slice: RoleSlice = { assignments: new Map(), customRoles: new Map(), resourceSets: new Map() };
    o.onDelete('user', (userId) => slice.assignments.delete(userId));
    return slice;
  });
}

function assignmentsOf(org: SandboxOrg, userId: string): RoleAssignmentRecord[] {
  return rolesOf(org).assignments.get(userId) ?? [];
}

function assignmentJson(org: SandboxOrg, assignment: RoleAssignmentRecord): Record<string, unknown> {
  const href = (path: string) => ({ href: `${org.baseUrl}${path}` });
  const common = {
    id: assignment.id,
    label: assignment.label,
    type: assignment.type,
    status: 'ACTIVE',
    created: assignment.created,
    lastUpdated: assignment.lastUpdated,
    assignmentType: 'USER',
  };
  const assignee = href(`/api/v1/users/${assignment.userId}`);
  if (!assignment.binding) return { ...common, _links: { assignee } };
  const { role, resourceSet } = assignment.binding;
  return {
    ...common,
    role,
    'resource-set': resourceSet,
    _links: {
      assignee,
      'resource-set': href(`/api/v1/iam/resource-sets/${resourceSet}`),
      role: href(`/api/v1/iam/roles/${role}`),
      permissions: href(`/api/v1/iam/roles/${role}/permissions`),
      member: href(`/api/v1/iam/resource-sets/${resourceSet}/bindings/${role}/members/${assignment.id}`),
    },
  };
}

function customRoleJson(org: SandboxOrg, role: CustomRoleRecord): Record<string, unknown> {
  return {
    ...role,
    _links: {
      self: { href: `${org.baseUrl}/api/v1/iam/roles/${role.id}` },
      permissions: { href: `${org.baseUrl}/api/v1/iam/roles/${role.id}/permissions` },
    },
  };
}

function roleTarget(assignment: RoleAssignmentRecord) {
  return { id: assignment.id, type: 'ROLE', alternateId: assignment.type, displayName: assignment.label };
}

// ---------------------------------------------------------------------------------------------------------
// Assigning

export type RoleRequest = { type: string } | { type: 'CUSTOM'; role: string; resourceSet: string };

/** Adds a role assignment after Okta's checks; `quiet` skips the System Log (seeding). */
export function assignRole(
  org: SandboxOrg,
  user: UserRecord,
  request: RoleRequest,
  quiet = false,
): RoleAssignmentRecord {
  const assignment = newAssignment(org, user, request);
  checkNotAssignedYet(org, user, assignment);
  const roles = rolesOf(org);
  roles.assignments.set(user.id, [...assignmentsOf(org, user.id), assignment]);
  org.changed();
  if (!quiet) {
    org.log.record('user.account.privilege.grant', 'Grant user privilege', [
      userTarget(user),
      roleTarget(assignment),
    ]);
  }
  return assignment;
}

function newAssignment(org: SandboxOrg, user: UserRecord, request: RoleRequest): RoleAssignmentRecord {
  const now = org.now();
  const base = { userId: user.id, created: now, lastUpdated: now };
  if ('role' in request) {
    const role = rolesOf(org).customRoles.get(request.role);
    if (!role) throw validationFailed('role', [`role: The custom role ${request.role} does not exist`]);
    if (!rolesOf(org).resourceSets.has(request.resourceSet)) {
      throw validationFailed('resource-set', [
        `resource-set: The resource set ${request.resourceSet} does not exist`,
      ]);
    }
    return {
      ...base,
      id: org.ids.id('irb'),
      type: 'CUSTOM',
      label: role.label,
      binding: { role: role.id, resourceSet: request.resourceSet },
    };
  }
  const label = STANDARD_ROLE_LABELS[request.type];
  if (!label) throw validationFailed('type', [`type: ${request.type} is not a role type`]);
  const iamResourceSet = IAM_BASED_ROLE_RESOURCE_SETS[request.type];
  return {
    ...base,
    id: org.ids.id(iamResourceSet ? 'irb' : 'ra1'),
    type: request.type,
    label,
    ...(iamResourceSet ? { binding: { role: request.type, resourceSet: iamResourceSet } } : {}),
  };
}

/** The same standard role, or the same custom role on the same resource set, twice: 409 E0000090. */
function checkNotAssignedYet(org: SandboxOrg, user: UserRecord, wanted: RoleAssignmentRecord): void {
  const same = (held: RoleAssignmentRecord) =>
    held.type === wanted.type &&
    held.binding?.role === wanted.binding?.role &&
    held.binding?.resourceSet === wanted.binding?.resourceSet;
  if (assignmentsOf(org, user.id).some(same)) {
    throw new OktaHttpError(409, 'E0000090', 'Duplicate role assignment exception', [
      'The role specified is already assigned to the user.',
    ]);
  }
}

/** Okta keeps at least one Super Administrator: the last SUPER_ADMIN assignment cannot be removed. */
function checkNotLastSuperAdmin(org: SandboxOrg, assignment: RoleAssignmentRecord): void {
  if (assignment.type !== 'SUPER_ADMIN') return;
  for (const [userId, held] of rolesOf(org).assignments) {
    if (userId !== assignment.userId && held.some((other) => other.type === 'SUPER_ADMIN')) return;
  }
  throw new OktaHttpError(403, 'E0000006', 'You do not have permission to perform the requested action', [
    'The last Super Administrator of the org cannot lose the role',
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Routes

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

/** A custom role (for seeding and tests: the API served here has no operation that creates one). */
export function insertCustomRole(org: SandboxOrg, label: string, description: string): CustomRoleRecord {
  const now = org.now();
  const role: CustomRoleRecord = {
    id: org.ids.id('cr0'),
    label,
    description,
    created: now,
    lastUpdated: now,
  };
  rolesOf(org).customRoles.set(role.id, role);
  org.changed();
  return role;
}

/** A resource set custom roles can be bound to (for seeding and tests). */
export function insertResourceSet(org: SandboxOrg, label: string): { id: string; label: string } {
  const resourceSet = { id: org.ids.id('iam'), label };
  rolesOf(org).resourceSets.set(resourceSet.id, resourceSet);
  return resourceSet;
}

export const rolesRoutes: Record<string, RouteHandler> = {
  listAssignedRolesForUser,
  assignRoleToUser,
  unassignRoleFromUser,
  listRoles,
};

/** The admin is the org's Super Administrator; one custom role on one resource set, assigned to nobody. */
export function seedRoles(org: SandboxOrg, base: SeededOrg): void {
  assignRole(org, base.admin, { type: 'SUPER_ADMIN' }, true);
  insertCustomRole(org, 'Help Desk Tier 2', 'Resets passwords and unlocks accounts of support staff');
  insertResourceSet(org, 'Support department users');
}
