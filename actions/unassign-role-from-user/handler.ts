import {
  isAssignmentOf,
  listUserRoleAssignments,
  type RoleAssignmentJson,
  wantedRole,
} from '../../src/domain/admin-roles.js';
import { resolveUserId } from '../../src/domain/users.js';
import { invalidInput } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const matches = assignmentMatcher(input);
  const userId = await resolveUserId(okta, input.user);
  // Okta answers 404 for an assignment that is gone, so the user's roles are read first.
  const target = (await listUserRoleAssignments(okta, userId)).find(matches);
  if (!target) {
    return {
      userId,
      roleType: input.roleType ?? null,
      removedAssignmentId: null,
      label: null,
      changed: false,
    };
  }
  const path = oktaPath('/api/v1/users/{userId}/roles/{roleAssignmentId}', {
    userId,
    roleAssignmentId: target.id,
  });
  await change('unassign role', { method: 'DELETE', path }, () =>
    okta.sdk.roleAssignmentApi.unassignRoleFromUser({ userId, roleId: target.id }),
  );
  return {
    userId,
    roleType: target.type,
    removedAssignmentId: target.id,
    label: target.label ?? null,
    changed: true,
  };
});

/** Which of the user's assignments the input means: by assignment id, or by role. */
function assignmentMatcher(input: Input): (assignment: RoleAssignmentJson) => boolean {
  if (input.roleAssignmentId) {
    if (input.roleType || input.customRoleId || input.resourceSetId) {
      throw invalidInput(
        'roleAssignmentId',
        'cannot be combined with roleType, customRoleId or resourceSetId; choose either the assignment or the role',
      );
    }
    const id = input.roleAssignmentId;
    return (assignment) => assignment.id === id;
  }
  if (!input.roleType) {
    throw invalidInput(
      'roleType',
      'is required unless a roleAssignmentId is given: choose the role to remove',
    );
  }
  const wanted = wantedRole({ ...input, roleType: input.roleType });
  return (assignment) => isAssignmentOf(assignment, wanted);
}
