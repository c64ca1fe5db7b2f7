/**
 * Reading and writing user types. Writes go through raw JSON, not the SDK: the SDK's UserType model renames
 * Okta's `default` field to `_default` in its answers, so an output built from it would lose the flag.
 */
import { ActionError } from '../errors/action-error.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath, quoteLiteral } from '../transport/paths.js';

/** A user type as Okta sends it; only what the actions read is typed. */
export interface OktaUserTypeJson {
  id: string;
  name: string;
  displayName: string;
  description?: string | null;
  default?: boolean;
  [field: string]: unknown;
}

export interface UserTypeResultFields {
  id: string;
  name: string;
  displayName: string;
  description: string | null;
  isDefault: boolean;
  userType: OktaUserTypeJson;
}

export function userTypePath(typeId: string): string {
  return oktaPath('/api/v1/meta/types/user/{typeId}', { typeId });
}

export function getUserType(okta: OktaContext, typeId: string): Promise<OktaUserTypeJson> {
  return okta.getJson<OktaUserTypeJson>(userTypePath(typeId));
}

export function userTypeResult(userType: OktaUserTypeJson): UserTypeResultFields {
  return {
    id: userType.id,
    name: userType.name,
    displayName: userType.displayName,
    description: userType.description ?? null,
    isDefault: userType.default ?? false,
    userType,
  };
}

/** The answer of a user type write; Okta always answers these with the type. */
export function writtenUserType(answer: OktaUserTypeJson | undefined): OktaUserTypeJson {
  if (answer) return answer;
  throw new ActionError('UPSTREAM', 'Okta answered the user type change without the user type.', {
    retryable: false,
  });
}

/** The fields of `wanted` whose value differs from the type's current one (a missing description is ''). */
export function changedUserTypeFields(
  current: OktaUserTypeJson,
  wanted: { displayName?: string; description?: string },
): Array<'displayName' | 'description'> {
  const now = { displayName: current.displayName, description: current.description ?? '' };
  return (['displayName', 'description'] as const).filter(
    (field) => wanted[field] !== undefined && wanted[field] !== now[field],
  );
}

/**
 * Okta refuses to delete the default type and a type that users still have (deactivated users included).
 * Both are checked before the delete so the message can say which; a search finds one user of the type.
 */
export async function checkUserTypeDeletable(okta: OktaContext, userType: OktaUserTypeJson): Promise<void> {
  if (userType.default) {
    throw new ActionError(
      'CONFLICT',
      `${userType.name} is the org's default user type, which Okta never deletes. Nothing was changed.`,
      { retryable: false },
    );
  }
  // A search (not a filter) is what reaches type.id; it also returns deactivated users, which count here.
  const page = await okta.paginate<{ profile?: { login?: string } }>({
    path: '/api/v1/users',
    query: { search: `type.id eq ${quoteLiteral(userType.id)}` },
    pageSize: 1,
    maxItems: 1,
  });
  const user = page.items[0];
  if (user) {
    throw userTypeInUse(userType, `users still have it (for example ${user.profile?.login ?? 'one user'})`);
  }
}

/** CONFLICT for a type users still have, whatever told us so (our search or Okta's refusal). */
export function userTypeInUse(userType: OktaUserTypeJson, why: string): ActionError {
  return new ActionError(
    'CONFLICT',
    `User type ${userType.name} cannot be deleted: ${why}. Give those users another user type first (Okta changes a user's type only through a full Replace User with the other type's id). Nothing was changed.`,
    { retryable: false },
  );
}
