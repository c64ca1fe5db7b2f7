/**
 * Every operation of the org authorization server the sandbox serves, by the operationId of Okta's OAuth
 * description (the list is src/sandbox/oauth-operations.json).
 */
import { authorize } from './authorize.js';
import { getWellKnownOpenIDConfiguration, oauthKeys } from './metadata.js';
import type { OAuthRouteHandler } from './oauth-route.js';
import { token } from './token-endpoint.js';
import { userinfo } from './userinfo.js';

export const oauthRoutes: Readonly<Record<string, OAuthRouteHandler>> = {
  getWellKnownOpenIDConfiguration,
  oauthKeys,
  authorize,
  token,
  userinfo,
};
