import { ActionError } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

/**
 * GET /oauth2/v1/userinfo answers only to an end user's OIDC access token (openid scope); Okta refuses API
 * tokens and client-credentials tokens there, and the SDK has no method for it. So only a connection of
 * type oauth_access_token (a person's sign-in) can call it; any other says so before sending anything.
 */
export default defineAction<Input, Output>(async ({ okta }) => {
  if (okta.connectionType !== 'oauth_access_token') {
    throw new ActionError(
      'UNSUPPORTED',
      `Get User Info reads the signed-in person's claims from Okta's userinfo endpoint, which accepts only that person's own OAuth access token (openid scope). This connection (${okta.connectionType}) has none: use an oauth_access_token connection from the person's sign-in. To read a user's profile as an admin, use the get-user action. Nothing was sent to Okta.`,
      { retryable: false },
    );
  }
  const claims = await okta.getJson<Record<string, unknown>>('/oauth2/v1/userinfo');
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : null);
  return {
    sub: String(claims.sub),
    name: text('name'),
    email: text('email'),
    preferredUsername: text('preferred_username'),
    claims,
  };
});
