/**
 * What a connection can be expected to do, action by action, from what test-connection learned: the
 * scopes its token holds (OAuth), the admin roles of whoever it acts as, and the org's optional features.
 * An expectation, not a promise: Okta decides at run time (a role can be limited to some groups, a custom
 * role to some permissions), so "unknown" is said when the facts do not settle it.
 */
import type { ConnectionTypeName } from '../manifest/manifest.js';
import { type ActionContract, manifest } from '../manifest/manifest.js';
import { missingScopes, oktaApiScopes } from '../manifest/scopes.js';

export type Expectation = 'yes' | 'no' | 'unknown';

export interface ActionCapability {
  key: string;
  expected: Expectation;
  /** Why not, or why it cannot be told. */
  reason?: string;
}

export interface ConnectionFacts {
  connectionType: ConnectionTypeName;
  /** OAuth: the scopes the token holds. Undefined for an API token (no scopes) or when unknown. */
  grantedScopes: string[] | undefined;
  /** The admin role types (SUPER_ADMIN, ORG_ADMIN, ...) of the user or app; undefined when unreadable. */
  adminRoles: string[] | undefined;
  /** Optional API families: false when the org answered that it lacks them, undefined when not probed. */
  features: { devices?: boolean; realms?: boolean };
}

/** Categories whose actions need an optional Okta feature, and what to say when the org lacks it. */
const FEATURE_OF_CATEGORY: Record<string, { feature: keyof ConnectionFacts['features']; lacking: string }> = {
  Devices: { feature: 'devices', lacking: 'the org has no Devices API (it needs Okta Identity Engine)' },
  Realms: {
    feature: 'realms',
    lacking:
      'the org has no Realms (they need an Identity Governance, Secure Partner Access or Advanced Directory Management subscription)',
  },
};

/** Roles whose reach a role type alone settles; any other (group, app, help desk, custom) depends on its targets. */
const ALL_ACTIONS = new Set(['SUPER_ADMIN']);
const ALL_BUT_ROLES = new Set(['ORG_ADMIN']);
const READ_ONLY = new Set(['READ_ONLY_ADMIN']);

export function assessActions(facts: ConnectionFacts): ActionCapability[] {
  return manifest.actions.map((action) => ({ key: action.key, ...assess(action, facts) }));
}

function assess(action: ActionContract, facts: ConnectionFacts): Omit<ActionCapability, 'key'> {
  if (action.connectionTypes && !action.connectionTypes.includes(facts.connectionType))
    return { expected: 'no', reason: `it runs only with ${action.connectionTypes.join(' or ')} connections` };
  if (facts.grantedScopes) {
    const missing = missingScopes(oktaApiScopes(action.scopes), facts.grantedScopes);
    if (missing.length > 0)
      return { expected: 'no', reason: `the token lacks the scope ${missing.join(', ')}` };
  }
  const feature = FEATURE_OF_CATEGORY[action.category];
  if (feature && facts.features[feature.feature] === false)
    return { expected: 'no', reason: feature.lacking };
  return byRoles(action, facts.adminRoles);
}

function byRoles(action: ActionContract, roles: string[] | undefined): Omit<ActionCapability, 'key'> {
  if (roles === undefined) return { expected: 'unknown', reason: 'the admin roles could not be read' };
  if (roles.length === 0) return { expected: 'no', reason: 'it acts with no admin role' };
  if (roles.some((role) => ALL_ACTIONS.has(role))) return { expected: 'yes' };
  if (roles.some((role) => ALL_BUT_ROLES.has(role)))
    return action.category === 'Roles'
      ? { expected: 'no', reason: 'assigning admin roles needs a Super Administrator' }
      : { expected: 'yes' };
  if (action.annotations.readOnly && roles.some((role) => READ_ONLY.has(role))) return { expected: 'yes' };
  if (roles.every((role) => READ_ONLY.has(role)))
    return { expected: 'no', reason: 'a Read-only Administrator cannot change Okta' };
  return {
    expected: 'unknown',
    reason: `it depends on what the ${roles.join(', ')} role${roles.length > 1 ? 's' : ''} cover`,
  };
}

/** "86 of 92 actions are expected to work, 6 are not" (the reasons are in each action's entry). */
export function summarize(capabilities: ActionCapability[]): string {
  const count = (expected: Expectation) => capabilities.filter((c) => c.expected === expected).length;
  const [no, unknown] = [count('no'), count('unknown')];
  return `${count('yes')} of ${capabilities.length} actions are expected to work${no > 0 ? `, ${no} ${no === 1 ? 'is' : 'are'} not` : ''}${unknown > 0 ? `, ${unknown} cannot be told from here` : ''}`;
}
