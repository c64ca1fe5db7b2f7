import { getUser } from '../../src/domain/users.js';
import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath, queryString } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const user = await getUser(okta, input.user);
  // Okta keeps OAuth tokens unless oauthTokens=true, and forgetDevices defaults differ between Classic
  // and Identity Engine, so both are always sent.
  const oauthTokens = input.revokeOAuthTokens ?? true;
  const forgetDevices = input.forgetDevices ?? true;
  const path = `${oktaPath('/api/v1/users/{userId}/sessions', { userId: user.id })}${queryString({ oauthTokens, forgetDevices })}`;
  // Okta has no way to list a user's sessions and answers 204 either way, so nothing can be read first:
  // the call is always made, and changed means "signed out", not "a session existed".
  await change('clear sessions', { method: 'DELETE', path }, () =>
    okta.sdk.userApi.revokeUserSessions({ userId: user.id, oauthTokens, forgetDevices }),
  );
  return {
    id: user.id,
    login: user.profile.login,
    oauthTokensRevoked: oauthTokens,
    devicesForgotten: forgetDevices,
    changed: true,
  };
});
