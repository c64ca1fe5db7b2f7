import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

/**
 * GET /oauth2/v1/userinfo answers only to an end user's OIDC access token (openid scope); Okta refuses API
 * tokens and client-credentials tokens there, and the SDK has no method for it. So the action declares
 * connectionTypes: ["oauth_access_token"] (a person's sign-in), and execute() refuses any other connection
 * before this runs.
 */
export default defineAction<Input, Output>(async ({ okta }) => {
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
