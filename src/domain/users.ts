/** Reading users the way every user action needs: by id or login, losslessly, in one request. */

import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';

/** A user as Okta sends it; only what the core itself reads is typed. */
export interface OktaUserJson {
  id: string;
  status: string;
  profile: {
    login: string;
    email?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    [attribute: string]: unknown;
  };
  [field: string]: unknown;
}

/** The stable top-level fields a flow maps, plus the whole user under `user`. */
export interface UserResultFields {
  id: string;
  status: string;
  login: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  user: OktaUserJson;
}

// Okta user ids are 20 characters starting with 00u; a login never looks like that.
const USER_ID = /^00u[0-9A-Za-z]{17}$/;

export function looksLikeUserId(idOrLogin: string): boolean {
  return USER_ID.test(idOrLogin);
}

/**
 * GET /api/v1/users/{idOrLogin}: Okta accepts an id, a login or an unambiguous login shortname. The
 * credentials object is left out of the answer unless asked for (see raw-json.ts).
 */
export function getUser(
  okta: OktaContext,
  idOrLogin: string,
  options: { withCredentials?: boolean } = {},
): Promise<OktaUserJson> {
  return okta.getJson<OktaUserJson>(oktaPath('/api/v1/users/{id}', { id: idOrLogin }), undefined, options);
}

/** The id for an id-or-login input; costs a request only when a login was given. */
export async function resolveUserId(okta: OktaContext, idOrLogin: string): Promise<string> {
  return looksLikeUserId(idOrLogin) ? idOrLogin : (await getUser(okta, idOrLogin)).id;
}

export function userResult(user: OktaUserJson): UserResultFields {
  return {
    id: user.id,
    status: user.status,
    login: user.profile.login,
    email: user.profile.email ?? null,
    firstName: user.profile.firstName ?? null,
    lastName: user.profile.lastName ?? null,
    user,
  };
}
