/**
 * The operations on a user's credentials: list factors, grants and blocks, unenroll a factor, and revoke
 * sessions or grants.
 */
import { notAllowedInStatus, notFound } from '../../errors.js';
import type { SortKey } from '../../paging.js';
import { flag, listPage, noContent, ok, type RouteContext, type RouteHandler } from '../../route.js';
import { requireUser, userTarget } from '../users/model.js';
import {
  clearSessions,
  credentialsOf,
  factorsRemovedWith,
  type GrantRecord,
  removeFactors,
  revokeOAuthTokens,
} from './model.js';
import { factorJson, grantJson } from './render.js';

const listFactors: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  return ok((credentialsOf(org).factors.get(user.id) ?? []).map((f) => factorJson(org, f)));
};

const unenrollFactor: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  const factorId = context.params.factorId!;
  const enrolled = credentialsOf(org).factors.get(user.id) ?? [];
  const factor = enrolled.find((f) => f.id === factorId);
  if (!factor) throw notFound(factorId, 'UserFactor');
  // Okta: a deactivated user's factors cannot be unenrolled.
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus();

  const removed = factorsRemovedWith(factor, enrolled);
  removeFactors(org, user, removed);
  // The phone of an sms or call factor stays a recovery method unless the admin asks to remove it too.
  const isPhone = factor.factorType === 'sms' || factor.factorType === 'call';
  const slice = credentialsOf(org);
  if (
    isPhone &&
    flag(context, 'removeRecoveryEnrollment', false) &&
    slice.recoveryPhones.get(user.id) === factor.profile.phoneNumber
  ) {
    slice.recoveryPhones.delete(user.id);
  }
  for (const gone of removed) {
    org.log.record('user.mfa.factor.deactivate', 'Reset factor for user', [
      userTarget(user),
      { id: gone.id, type: 'Factor', displayName: gone.factorType },
    ]);
  }
  return noContent();
};

/**
 * DELETE /api/v1/users/{userId}/sessions. Okta answers 204 whether or not the user had a session. OAuth
 * tokens are revoked only on request (`oauthTokens`), while remembered MFA devices are forgotten unless the
 * caller says not to (`forgetDevices` defaults to true in Identity Engine). Consent grants stay.
 */
const revokeUserSessions: RouteHandler = (context: RouteContext) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  clearSessions(org, user);
  org.log.record('user.session.clear', 'Clear user session', [userTarget(user)]);
  if (flag(context, 'oauthTokens', false)) revokeOAuthTokens(org, user);
  if (flag(context, 'forgetDevices', true)) credentialsOf(org).rememberedDevices.delete(user.id);
  return noContent();
};

const GRANT_PAGE = { defaultLimit: 20, maxLimit: 200 };

const listUserGrants: RouteHandler = (context) => {
  const { org, query } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  const scopeId = query.get('scopeId');
  // Okta knows one expansion here; anything else is ignored rather than refused.
  const expandScope = query.get('expand') === 'scope';
  const grants = (credentialsOf(org).grants.get(user.id) ?? []).filter(
    (grant) => scopeId === null || grant.scopeId === scopeId,
  );
  const keyOf = (grant: GrantRecord): SortKey => [grant.seq];
  return listPage(context, grants, keyOf, GRANT_PAGE, (grant) => grantJson(org, grant, expandScope));
};

const revokeUserGrants: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  const slice = credentialsOf(org);
  for (const grant of slice.grants.get(user.id) ?? []) {
    org.log.record('app.oauth2.as.consent.revoke', 'Revoke consent', [
      userTarget(user),
      { id: grant.id, type: 'Grant', displayName: `${grant.clientName}: ${grant.scopeName}` },
    ]);
  }
  slice.grants.delete(user.id);
  org.changed();
  return noContent();
};

const listUserBlocks: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.id!, context.principal.userId);
  return ok((credentialsOf(org).blocks.get(user.id) ?? []).map((block) => ({ ...block })));
};

export const credentialsRoutes: Record<string, RouteHandler> = {
  listFactors,
  unenrollFactor,
  revokeUserSessions,
  listUserGrants,
  revokeUserGrants,
  listUserBlocks,
};
