/**
 * User types: the default type every user gets (id DEFAULT_USER_TYPE_ID, also reachable as `default`) and up
 * to nine more. After creation only displayName and description change; the name is fixed. Okta refuses to
 * delete the default type and any type that a user (deactivated ones included) still has.
 */
import { alreadyExists, notFound, OktaHttpError, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { DEFAULT_USER_TYPE_ID, userHooks, usersOf } from '../users/model.js';

export interface UserTypeRecord {
  id: string;
  name: string;
  displayName: string;
  description: string;
  isDefault: boolean;
  createdBy: string;
  lastUpdatedBy: string;
  created: string;
  lastUpdated: string;
}

/** Okta's documented cap: the default type and nine more. Deleted types no longer count. */
export const MAX_USER_TYPES = 10;

/** The alias Okta accepts in place of the default type's id. */
const DEFAULT_ALIAS = 'default';

/** The org's user types in creation order; the default type exists from the start, as in a new Okta org. */
export function userTypesOf(org: SandboxOrg): Map<string, UserTypeRecord> {
  return org.slice('userTypes', (o) => {
    const now = o.now();
    const defaultType: UserTypeRecord = {
      id: DEFAULT_USER_TYPE_ID,
      name: 'user',
      displayName: 'User',
      description: 'Okta user profile template with default permission settings',
      isDefault: true,
      createdBy: o.log.actor.id,
      lastUpdatedBy: o.log.actor.id,
      created: now,
      lastUpdated: now,
    };
    return new Map([[defaultType.id, defaultType]]);
  });
}

function findUserType(org: SandboxOrg, typeId: string): UserTypeRecord | undefined {
  return userTypesOf(org).get(typeId === DEFAULT_ALIAS ? DEFAULT_USER_TYPE_ID : typeId);
}

export function requireUserType(org: SandboxOrg, typeId: string): UserTypeRecord {
  const type = findUserType(org, typeId);
  if (!type) throw notFound(typeId, 'UserType');
  return type;
}

export function userTypeTarget(type: UserTypeRecord) {
  return { id: type.id, type: 'UserType', alternateId: type.name, displayName: type.displayName };
}

// ---------------------------------------------------------------------------------------------------------
// Rules

export function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw validationFailed(field, [`${field}: The field cannot be left blank`]);
  return value;
}

/** Type names are unique in the org, compared without regard to case. */
export function checkNameIsFree(org: SandboxOrg, name: string): void {
  const lower = name.toLowerCase();
  for (const type of userTypesOf(org).values()) {
    if (type.name.toLowerCase() === lower) throw alreadyExists('name');
  }
}

export function checkRoomForAnotherType(org: SandboxOrg): void {
  if (userTypesOf(org).size >= MAX_USER_TYPES) {
    throw validationFailed('userType', [
      `userType: An org can have at most ${MAX_USER_TYPES} user types, the default type included; delete one first`,
    ]);
  }
}

/** The name is part of a type's identity: a body may repeat it, never change it. */
export function checkNameUnchanged(type: UserTypeRecord, name: unknown): void {
  if (name !== undefined && name !== type.name)
    throw validationFailed('name', ['name: The name of an existing user type cannot be changed']);
}

/**
 * E0000142 with a reason: PROHIBITED for the default type, UNMET_REQUIREMENTS while users (any status short
 * of deleted) still have the type.
 */
export function checkDeletable(org: SandboxOrg, type: UserTypeRecord): void {
  const refuse = (reason: string, why: string) =>
    new OktaHttpError(403, 'E0000142', 'Deleting this user type is not allowed', [
      `reason: ${reason}: ${why}`,
    ]);
  if (type.isDefault) throw refuse('PROHIBITED', 'the default user type cannot be deleted');
  for (const user of usersOf(org).byId.values()) {
    if (user.type.id === type.id)
      throw refuse('UNMET_REQUIREMENTS', 'users of this type exist; give them another type first');
  }
}

/** createUser refuses a type id the org does not have (the `default` alias is not a type id). */
userHooks.checkTypeId = (org, typeId) => {
  if (!userTypesOf(org).has(typeId))
    throw validationFailed('type', [`type.id: The user type ${typeId} does not exist`]);
};
