/**
 * The error mapper's messages for 401 and 403 speak of API tokens and their admins. For an OAuth
 * connection the fix is elsewhere (a scope to grant, an admin role for the app, a person to reconnect),
 * so those envelopes are reworded here, with the scopes the action needs and the connection holds.
 */

import type { ActionErrorEnvelope } from '../errors/action-error.js';
import type { ConnectionTypeName } from '../manifest/manifest.js';
import { missingScopes, oktaApiScopes } from '../manifest/scopes.js';
import type { Authorizer } from './authorizer.js';

export function adviseForCredentials(
  envelope: ActionErrorEnvelope,
  connectionType: ConnectionTypeName | undefined,
  authorizer: Authorizer | undefined,
  allActionScopes: readonly string[] | undefined,
): ActionErrorEnvelope {
  // Token endpoint errors (invalid_client, ...) are already worded for OAuth; API errors have E0... codes.
  const fromApi = /^E\d/.test(envelope.okta?.errorCode ?? '');
  if (connectionType === undefined || connectionType === 'api_token' || !fromApi) return envelope;
  const said = [envelope.okta?.errorCode, envelope.okta?.errorSummary].filter(Boolean).join(' ');
  const asWho = connectionType === 'oauth_access_token' ? 'the person who signed in' : 'the app';
  const challenge = envelope.okta?.challenge;
  const okta = challenge?.description ? `${said}: ${challenge.description}` : said;

  if (challenge?.error === 'invalid_dpop_proof') {
    return {
      ...envelope,
      code: 'UNAUTHORIZED',
      message: `Okta refused the DPoP proof that okta-actions signed for this request (${okta}). Proofs are dated: check that the host's clock is right. If it is, please report this to the okta-actions maintainers.`,
    };
  }
  if (envelope.code === 'FORBIDDEN' && challenge?.error === 'insufficient_scope' && challenge.scope) {
    const scopes = challenge.scope.join(' or ');
    const fix =
      connectionType === 'oauth_access_token'
        ? `The person must reconnect, consenting to ${scopes} (the host asks for it in the authorization request; okta-actions scopes <action> lists them).`
        : `Grant ${scopes} to the app under Okta API Scopes and add it to the connection's scopes.`;
    return {
      ...envelope,
      message: `The connection's token does not hold the scope this operation needs: Okta takes ${scopes} (${okta}). ${fix}`,
    };
  }

  if (envelope.code === 'UNAUTHORIZED') {
    const message =
      authorizer?.unauthorizedAdvice() ??
      (connectionType === 'oauth_access_token'
        ? `Okta refused the access token (${said}) even after refreshing it: the person may have lost access or been deactivated; they must reconnect (sign in again).`
        : `Okta refused the app's access token (${said}) even after a new one was issued: check that the app is active and has an admin role (Applications > the app > Admin roles).`);
    return { ...envelope, message };
  }
  if (envelope.code === 'FORBIDDEN') {
    const granted = authorizer?.grantedScopes();
    const actionScopes = oktaApiScopes(allActionScopes ?? []);
    const missing = granted ? missingScopes(actionScopes, granted) : [];
    const roleWhere =
      connectionType === 'oauth_access_token' ? '' : ' (Applications > the app > Admin roles)';
    const scopesNeeded = actionScopes.length
      ? `the scope${actionScopes.length > 1 ? 's' : ''} ${actionScopes.join(', ')}${granted ? ` (the token holds ${granted.join(', ')})` : ''} and `
      : '';
    const message =
      missing.length > 0
        ? `The connection's token lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that this action needs (${said}). Grant ${missing.length > 1 ? 'them' : 'it'} to the app under Okta API Scopes and add ${missing.length > 1 ? 'them' : 'it'} to the connection's scopes.`
        : `Okta did not allow ${asWho} to do this (${said}). This needs ${scopesNeeded}an admin role that covers the operation${roleWhere}.`;
    return { ...envelope, message };
  }
  return envelope;
}
