/**
 * Reading a group before changing it, and describing it in an output. Groups are always read raw: the
 * SDK's Group model drops custom profile attributes, which a read-merge-write would then wipe.
 */
import { ActionError } from '../errors/action-error.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';

/** A group as Okta sends it; only what the actions read is typed. */
export interface OktaGroupJson {
  id: string;
  type: string;
  profile: { name?: string; description?: string | null; [attribute: string]: unknown };
  [field: string]: unknown;
}

/** The stable top-level fields a flow maps, plus the whole group under `group`. */
export interface GroupResultFields {
  id: string;
  name: string;
  description: string | null;
  type: string;
  group: OktaGroupJson;
}

export function groupPath(groupId: string): string {
  return oktaPath('/api/v1/groups/{groupId}', { groupId });
}

/** GET /api/v1/groups/{groupId}, every profile attribute kept. */
export function readGroup(okta: OktaContext, groupId: string): Promise<OktaGroupJson> {
  return okta.getJson<OktaGroupJson>(groupPath(groupId));
}

export function groupResult(group: OktaGroupJson): GroupResultFields {
  return {
    id: group.id,
    name: String(group.profile.name ?? ''),
    description: group.profile.description ?? null,
    type: group.type,
    group,
  };
}

/**
 * Okta changes and deletes only groups it masters (OKTA_GROUP): an APP_GROUP belongs to the app or
 * directory it was imported from, and the built-in Everyone group to Okta itself. Refused before any
 * request, with what would help instead.
 */
export function requireOktaGroup(group: OktaGroupJson, actionKey: string): void {
  if (group.type === 'OKTA_GROUP') return;
  const name = String(group.profile.name ?? group.id);
  const help =
    group.type === 'APP_GROUP'
      ? 'it is imported from an app or directory (like Active Directory): change it there and let Okta import it again'
      : 'it is built into Okta (the Everyone group) and cannot be changed';
  throw new ActionError(
    'CONFLICT',
    `The group "${name}" is ${group.type}; ${actionKey} works only for Okta groups (OKTA_GROUP): ${help}. Nothing was changed.`,
    { retryable: false },
  );
}
