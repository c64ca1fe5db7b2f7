import {
  isAssignmentOf,
  listUserRoleAssignments,
  type RoleAssignmentJson,
  userRolesPath,
  type WantedRole,
  wantedRole,
} from '../../src/domain/admin-roles.js';
import { resolveUserId } from '../../src/domain/users.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const wanted = wantedRole(input);
  const userId = await resolveUserId(okta, input.user);
  // Okta answers a second assignment of the same role with 409, so the user's roles are read first.
  const held = (await listUserRoleAssignments(okta, userId)).find((a) => isAssignmentOf(a, wanted));
  if (held) return assignmentResult(userId, held, false);

  // Raw POST: the SDK's request type names the field resource_set (a body written with Okta's own
  // "resource-set" loses it silently) and its answer renames Okta's "resource-set" to resource_set.
  const path = userRolesPath(userId);
  const assigned = await change('assign role', { method: 'POST', path }, () =>
    okta.sendJson<RoleAssignmentJson>('POST', path, { body: requestBody(wanted) }),
  );
  if (!assigned) return PLANNED;
  return assignmentResult(userId, assigned, true);
});

function requestBody(wanted: WantedRole): Record<string, string> {
  return wanted.custom
    ? { type: 'CUSTOM', role: wanted.role, 'resource-set': wanted.resourceSet }
    : { type: wanted.type };
}

function assignmentResult(userId: string, assignment: RoleAssignmentJson, changed: boolean): Output {
  return {
    userId,
    roleType: assignment.type,
    roleAssignmentId: assignment.id,
    label: assignment.label ?? null,
    assignment,
    changed,
  };
}
