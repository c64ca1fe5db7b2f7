/**
 * Groups' state: OKTA_GROUP groups (with custom profile attributes), APP_GROUP groups whose membership
 * belongs to their source, and the built-in Everyone group that holds every user and cannot be changed;
 * their members, and the rules for creating groups and changing memberships.
 */
import { alreadyExists, notFound, OktaHttpError, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { type UserRecord, userHooks, usersOf, userTarget } from '../users/model.js';

export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';

export interface GroupRecord {
  id: string;
  type: GroupType;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  profile: Record<string, unknown> & { name: string; description?: string | null };
  /** For APP_GROUP: the app the group comes from. */
  sourceAppId?: string;
}

interface GroupSlice {
  byId: Map<string, GroupRecord>;
  members: Map<string, Set<string>>;
  groupsOfUser: Map<string, Set<string>>;
  everyoneId: string;
}

export function groupsOf(org: SandboxOrg): GroupSlice {
  return org.slice('groups', (o) => {
    const now = o.now();
    const everyone: GroupRecord = {
      id: o.ids.id('00g'),
      type: 'BUILT_IN',
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      profile: { name: 'Everyone', description: 'All users in your organization' },
    };
    const slice: GroupSlice = {
      byId: new Map([[everyone.id, everyone]]),
      members: new Map(),
      groupsOfUser: new Map(),
      everyoneId: everyone.id,
    };
    o.onDelete('user', (userId) => {
      for (const groupId of slice.groupsOfUser.get(userId) ?? []) slice.members.get(groupId)?.delete(userId);
      slice.groupsOfUser.delete(userId);
    });
    return slice;
  });
}

export function requireGroup(org: SandboxOrg, groupId: string): GroupRecord {
  const group = groupsOf(org).byId.get(groupId);
  if (!group) throw notFound(groupId, 'UserGroup');
  return group;
}

/** The ids of a group's members (Everyone: every user). */
export function memberIds(org: SandboxOrg, group: GroupRecord): string[] {
  if (group.type === 'BUILT_IN') return [...usersOf(org).byId.keys()];
  return [...(groupsOf(org).members.get(group.id) ?? [])];
}

/** The groups a user belongs to, Everyone included. */
export function groupIdsOfUser(org: SandboxOrg, userId: string): string[] {
  const groups = groupsOf(org);
  return [groups.everyoneId, ...(groups.groupsOfUser.get(userId) ?? [])];
}

/** Where other modules plug in, so this module need not import them (the apps module counts apps). */
export const groupHooks = {
  appsCount: (_org: SandboxOrg, _groupId: string): number => 0,
};

export function groupTarget(group: GroupRecord) {
  return { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.profile.name };
}

export interface NewGroup {
  profile: Record<string, unknown>;
  type?: GroupType;
  sourceAppId?: string;
  quiet?: boolean;
}

export function insertGroup(org: SandboxOrg, input: NewGroup): GroupRecord {
  const profile = checkGroupProfile(org, input.profile, undefined);
  const now = org.now();
  const group: GroupRecord = {
    id: org.ids.id('00g'),
    type: input.type ?? 'OKTA_GROUP',
    created: now,
    lastUpdated: now,
    lastMembershipUpdated: now,
    profile,
    ...(input.sourceAppId ? { sourceAppId: input.sourceAppId } : {}),
  };
  groupsOf(org).byId.set(group.id, group);
  org.changed();
  if (!input.quiet) org.log.record('group.lifecycle.create', 'Create okta group', [groupTarget(group)]);
  return group;
}

export function checkGroupProfile(
  org: SandboxOrg,
  profile: Record<string, unknown>,
  groupId: string | undefined,
) {
  const name = profile.name;
  if (typeof name !== 'string' || name.trim() === '')
    throw validationFailed('name', ['name: The field cannot be left blank']);
  for (const group of groupsOf(org).byId.values()) {
    if (
      group.id !== groupId &&
      group.profile.name.toLowerCase() === name.toLowerCase() &&
      group.type === 'OKTA_GROUP'
    ) {
      throw alreadyExists('name');
    }
  }
  return profile as GroupRecord['profile'];
}

/** Adds a member; false when the user already was one (Okta answers 204 either way). */
export function addMember(org: SandboxOrg, group: GroupRecord, user: UserRecord, quiet = false): boolean {
  const groups = groupsOf(org);
  const members = groups.members.get(group.id) ?? new Set<string>();
  if (members.has(user.id)) return false;
  members.add(user.id);
  groups.members.set(group.id, members);
  const ofUser = groups.groupsOfUser.get(user.id) ?? new Set<string>();
  ofUser.add(group.id);
  groups.groupsOfUser.set(user.id, ofUser);
  group.lastMembershipUpdated = org.now();
  org.changed();
  if (!quiet)
    org.log.record('group.user_membership.add', 'Add user to group membership', [
      userTarget(user),
      groupTarget(group),
    ]);
  return true;
}

export function removeMember(org: SandboxOrg, group: GroupRecord, user: UserRecord): void {
  const groups = groupsOf(org);
  if (!groups.members.get(group.id)?.delete(user.id)) return;
  groups.groupsOfUser.get(user.id)?.delete(group.id);
  group.lastMembershipUpdated = org.now();
  org.changed();
  org.log.record('group.user_membership.remove', 'Remove user from group membership', [
    userTarget(user),
    groupTarget(group),
  ]);
}

/** Membership of APP_GROUP and BUILT_IN groups is not Okta's to change through this API. */
export function requireOktaGroup(group: GroupRecord, what: string): void {
  if (group.type !== 'OKTA_GROUP') {
    throw new OktaHttpError(400, 'E0000001', `Api validation failed: ${what}`, [
      `${what}: A ${group.type} group cannot be changed; only groups of type OKTA_GROUP can.`,
    ]);
  }
}

userHooks.checkGroupIds = (org, groupIds) => {
  for (const groupId of groupIds) requireOktaGroup(requireGroup(org, groupId), 'groupIds');
};
userHooks.addToGroups = (org, user, groupIds) => {
  for (const groupId of groupIds) addMember(org, requireGroup(org, groupId), user);
};
