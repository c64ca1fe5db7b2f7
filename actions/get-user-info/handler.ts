import { ActionError } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

/**
 * GET /oauth2/v1/userinfo answers only to an end user's OIDC access token (openid scope); Okta refuses API
 * tokens and client-credentials tokens there, and the SDK has no method for it. API token is the only
 * connection type so far, so the action says so before sending anything rather than letting Okta answer
 * 401. When an OAuth connection with an end user's token exists, the call goes here.
 */
export default defineAction<Input, Output>(async () => {
  throw new ActionError(
    'UNSUPPORTED',
    "Get User Info reads the signed-in end user's claims from Okta's userinfo endpoint, which accepts only that user's own OAuth access token (openid scope). This connection uses an API token, which Okta refuses there; a connection type with an end user's access token is coming. To read a user's profile as an admin, use the get-user action. Nothing was sent to Okta.",
    { retryable: false },
  );
});
