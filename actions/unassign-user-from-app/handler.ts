import { appUserPath, findAppUser, grantingGroupId } from '../../src/domain/apps.js';
import { getUser } from '../../src/domain/users.js';
import { ActionError } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

/** Okta's error code for unassigning a user whose group memberships give them the app. */
const GROUP_GIVES_APP = 'E0000046';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const user = await getUser(okta, input.user);
  const current = await findAppUser(okta, input.appId, user.id);
  const result = { appId: input.appId, userId: user.id, assigned: false as const };
  if (!current) return { ...result, previousScope: null, changed: false };
  const route = groupRoute(user.profile.login, input.appId);
  if (current.scope === 'GROUP') throw route(grantingGroupId(current));

  const sendEmail = input.sendEmail ?? false;
  const path = `${appUserPath(input.appId, user.id)}?sendEmail=${sendEmail}`;
  try {
    await change('unassign', { method: 'DELETE', path }, () =>
      okta.sdk.applicationApi.unassignUserFromApplication({ appId: input.appId, userId: user.id, sendEmail }),
    );
  } catch (error) {
    // Assigned directly and also through a group: Okta refuses while any group gives the app.
    if ((error as { errorCode?: unknown }).errorCode === GROUP_GIVES_APP) throw route(undefined);
    throw error;
  }
  return { ...result, previousScope: current.scope ?? null, changed: true };
});

/** CONFLICT naming the way out: the group assignment has to go, or the user has to leave the group. */
function groupRoute(login: string, appId: string) {
  return (groupId: string | undefined) =>
    new ActionError(
      'CONFLICT',
      `${login} has app ${appId} through ${groupId ? `group ${groupId}` : 'a group assignment'}, and Okta does not unassign a user while a group gives them the app. Use unassign-group-from-app to take the app from the group, or remove-user-from-group to take the user out of it${groupId ? '' : ' (List Application Groups shows the groups the app is assigned to)'}. Nothing was changed.`,
      { retryable: false },
    );
}
