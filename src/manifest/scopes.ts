/**
 * OAuth scopes of actions. Each action's contract lists the Okta API scopes its requests need (all of
 * them); a `.manage` scope also grants the `.read` of the same resource, as in Okta.
 */
import { findAction, manifest } from './manifest.js';

/** Scopes the host's authorization-code flow always asks for: who signed in, and a refresh token. */
export const FLOW_SCOPES = ['openid', 'offline_access'] as const;

/** True when the granted scopes include `needed`, directly or through the `.manage` of a `.read`. */
export function grants(granted: readonly string[], needed: string): boolean {
  if (granted.includes(needed)) return true;
  return needed.endsWith('.read') && granted.includes(`${needed.slice(0, -'.read'.length)}.manage`);
}

/**
 * The Okta API scopes (okta.*) among an action's scopes: what an app's token must hold. OpenID scopes
 * (openid, profile, email) belong to a person's sign-in, and the one action that needs them
 * (get-user-info) declares the one connection type that can call it (connectionTypes).
 */
export function oktaApiScopes(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => scope.startsWith('okta.'));
}

/** The scopes of `needed` that `granted` does not cover. */
export function missingScopes(needed: readonly string[], granted: readonly string[]): string[] {
  return needed.filter((scope) => !grants(granted, scope));
}

/**
 * The Okta API scopes a set of actions needs, for the consent screen of the host's authorization-code
 * flow or an API Services app's grants: the union of their scopes, without a `.read` that a `.manage` in
 * the set already covers, sorted. Unknown action keys are an error, listed by name.
 */
export function scopesFor(actionKeys: readonly string[]): string[] {
  const unknown = actionKeys.filter((key) => !findAction(key));
  if (unknown.length > 0) {
    throw new Error(
      `No such action: ${unknown.join(', ')}. The manifest lists the ${manifest.actions.length} actions.`,
    );
  }
  const union = new Set(actionKeys.flatMap((key) => findAction(key)?.scopes ?? []));
  const coveredByManage = (scope: string) =>
    scope.endsWith('.read') && union.has(`${scope.slice(0, -'.read'.length)}.manage`);
  return [...union].filter((scope) => !coveredByManage(scope)).sort();
}
