/**
 * Applications' state: app instances of four sign-on modes (SAML 2.0, OpenID Connect, bookmark, Secure Web
 * Authentication), users assigned directly (scope USER) or through a group (scope GROUP), group assignments
 * in priority order, and who has an app at a given moment.
 *
 * Group-scoped app users are not stored: they follow from the app's group assignments and the groups'
 * current members, so a user who joins or leaves an assigned group (through any module) gains or loses the
 * app at once, as in Okta. What a request sets on such a user (a username, profile attributes) is kept
 * beside it until the user loses the app.
 */
import { createHash } from 'node:crypto';
import { notFound } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { groupHooks, groupIdsOfUser, groupsOf, memberIds } from '../groups/model.js';
import { type UserRecord, usersOf, userTarget } from '../users/model.js';

export type AppKind = 'saml' | 'oidc' | 'bookmark' | 'swa';
export type AppStatus = 'ACTIVE' | 'INACTIVE';

/** How an app derives a user's app username from the Okta profile (Okta's built-in username templates). */
export type UserNameTemplate = 'login' | 'email' | 'loginPrefix';

/** How SWA users' credentials are kept: set by each user or the admin, or one shared account. */
export type SwaScheme =
  | 'EDIT_USERNAME_AND_PASSWORD'
  | 'ADMIN_SETS_CREDENTIALS'
  | 'SHARED_USERNAME_AND_PASSWORD';

export interface AppRecord {
  id: string;
  kind: AppKind;
  /** The catalog name: salesforce, slack, oidc_client, bookmark, template_swa, ... */
  name: string;
  label: string;
  /** Where the app lives: the SAML service provider, the OIDC client's site, the bookmark's target. */
  url: string;
  status: AppStatus;
  created: string;
  lastUpdated: string;
  features: string[];
  userNameTemplate: UserNameTemplate;
  swaScheme: SwaScheme | undefined;
  /** Hidden from the end-user dashboard: its app links are listed with `hidden: true`. */
  hidden: boolean;
  signingKid: string;
  /** The SAML IdP's external key (the issuer Okta puts in assertions). */
  externalKey: string;
  /** The number at the end of the app's dashboard link (`/home/{name}/{id}/{linkId}`). */
  linkId: number;
}

export interface AppUserRecord {
  /** True for a direct assignment (scope USER); false for what a request set on a group-scoped user. */
  direct: boolean;
  created: string;
  lastUpdated: string;
  userName: string | undefined;
  /** Never sent back: Okta answers `password: {}` once one is set. */
  password: string | undefined;
  passwordChanged: string | null;
  /** Attributes set by requests, laid over the ones mapped from the Okta profile. */
  profile: Record<string, unknown>;
}

export interface GroupAssignmentRecord {
  groupId: string;
  /** 0 is the highest: the first group, in priority order, that holds a user gives its profile. */
  priority: number;
  profile: Record<string, unknown>;
  created: string;
  lastUpdated: string;
}

interface AppSlice {
  /** The org's own id, which Okta writes into each app's ORN. */
  orgId: string;
  byId: Map<string, AppRecord>;
  /** Per app, per user: direct assignments, and what requests set on group-scoped users. */
  appUsers: Map<string, Map<string, AppUserRecord>>;
  /** Per app: its group assignments, kept in priority order (index = priority). */
  groupAssignments: Map<string, GroupAssignmentRecord[]>;
}

export function appsOf(org: SandboxOrg): AppSlice {
  return org.slice('apps', (o) => {
    const slice: AppSlice = {
      orgId: o.ids.id('00o'),
      byId: new Map(),
      appUsers: new Map(),
      groupAssignments: new Map(),
    };
    o.onDelete('user', (userId) => {
      for (const users of slice.appUsers.values()) users.delete(userId);
    });
    o.onDelete('group', (groupId) => {
      for (const app of slice.byId.values()) {
        const assignments = slice.groupAssignments.get(app.id) ?? [];
        const index = assignments.findIndex((a) => a.groupId === groupId);
        if (index < 0) continue;
        assignments.splice(index, 1);
        renumber(assignments);
        pruneLostOverrides(o, app);
      }
    });
    return slice;
  });
}

export function requireApp(org: SandboxOrg, appId: string): AppRecord {
  const app = appsOf(org).byId.get(appId);
  if (!app) throw notFound(appId, 'AppInstance');
  return app;
}

/** A user named by id in a path or body: Okta looks these up by id only (not by login). */
export function requireUserById(org: SandboxOrg, userId: string): UserRecord {
  const user = usersOf(org).byId.get(userId);
  if (!user) throw notFound(userId, 'User');
  return user;
}

export function appTarget(app: AppRecord) {
  return { id: app.id, type: 'AppInstance', alternateId: app.name, displayName: app.label };
}

export function appUsersOf(org: SandboxOrg, app: AppRecord): Map<string, AppUserRecord> {
  const slice = appsOf(org);
  let users = slice.appUsers.get(app.id);
  if (!users) {
    users = new Map();
    slice.appUsers.set(app.id, users);
  }
  return users;
}

export function groupAssignmentsOf(org: SandboxOrg, app: AppRecord): GroupAssignmentRecord[] {
  const slice = appsOf(org);
  let assignments = slice.groupAssignments.get(app.id);
  if (!assignments) {
    assignments = [];
    slice.groupAssignments.set(app.id, assignments);
  }
  return assignments;
}

export function renumber(assignments: GroupAssignmentRecord[]): void {
  assignments.forEach((assignment, index) => {
    assignment.priority = index;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Who has an app

export interface Access {
  scope: 'USER' | 'GROUP';
  record: AppUserRecord | undefined;
  /** The highest-priority group assignment that holds the user, if any. */
  grant: GroupAssignmentRecord | undefined;
}

/**
 * Group assignments give an app only while it is ACTIVE: Okta's description of deactivateApplication says
 * deactivation reconciles group-assigned users and removes their assignments (activation brings them back).
 */
function grantOf(org: SandboxOrg, app: AppRecord, userId: string): GroupAssignmentRecord | undefined {
  if (app.status !== 'ACTIVE') return undefined;
  const assignments = appsOf(org).groupAssignments.get(app.id);
  if (!assignments || assignments.length === 0) return undefined;
  const groupsOfUser = new Set(groupIdsOfUser(org, userId));
  return assignments.find((assignment) => groupsOfUser.has(assignment.groupId));
}

/** The user's assignment to the app, whatever the user's status. */
export function accessOf(org: SandboxOrg, app: AppRecord, userId: string): Access | undefined {
  const record = appsOf(org).appUsers.get(app.id)?.get(userId);
  const grant = grantOf(org, app, userId);
  if (record?.direct) return { scope: 'USER', record, grant };
  if (grant) return { scope: 'GROUP', record, grant };
  return undefined;
}

/** A deactivated (DEPROVISIONED) user has been deprovisioned from every app, group assignments included. */
export function activeAccessOf(
  org: SandboxOrg,
  app: AppRecord,
  user: UserRecord | undefined,
): Access | undefined {
  if (!user || user.status === 'DEPROVISIONED') return undefined;
  return accessOf(org, app, user.id);
}

export function requireAccess(
  org: SandboxOrg,
  app: AppRecord,
  userId: string,
): { user: UserRecord; access: Access } {
  const user = requireUserById(org, userId);
  const access = activeAccessOf(org, app, user);
  if (!access) throw notFound(userId, 'AppUser');
  return { user, access };
}

/** Every user the app is assigned to, directly or through a group, sorted by id. */
export function assignedUserIds(org: SandboxOrg, app: AppRecord): string[] {
  const users = usersOf(org).byId;
  const ids = new Set<string>();
  for (const [userId, record] of appsOf(org).appUsers.get(app.id) ?? []) if (record.direct) ids.add(userId);
  if (app.status === 'ACTIVE') {
    const groups = groupsOf(org).byId;
    for (const assignment of appsOf(org).groupAssignments.get(app.id) ?? []) {
      const group = groups.get(assignment.groupId);
      if (group) for (const userId of memberIds(org, group)) ids.add(userId);
    }
  }
  return [...ids].filter((id) => (users.get(id)?.status ?? 'DEPROVISIONED') !== 'DEPROVISIONED').sort();
}

/** What a request set on a group-scoped user goes with the assignment once no group gives the app. */
export function pruneLostOverrides(org: SandboxOrg, app: AppRecord, userIds?: Iterable<string>): void {
  const records = appsOf(org).appUsers.get(app.id);
  if (!records) return;
  for (const userId of userIds ?? [...records.keys()]) {
    const record = records.get(userId);
    if (record && !record.direct && !grantOf(org, app, userId)) records.delete(userId);
  }
}

export function membersOfAssignedGroups(org: SandboxOrg, app: AppRecord): string[] {
  const groups = groupsOf(org).byId;
  const ids = new Set<string>();
  for (const assignment of appsOf(org).groupAssignments.get(app.id) ?? []) {
    const group = groups.get(assignment.groupId);
    if (group) for (const userId of memberIds(org, group)) ids.add(userId);
  }
  return [...ids];
}

/** Okta's System Log event types for a user's assignment to an app, with their display messages. */
const MEMBERSHIP_EVENTS = {
  add: ['application.user_membership.add', 'Add user to application membership'],
  remove: ['application.user_membership.remove', 'Remove users application membership'],
  change_username: ['application.user_membership.change_username', 'Change users application username'],
  change_password: ['application.user_membership.change_password', 'Change users application password'],
  update: ['application.user_membership.update', 'Update user application membership'],
} as const;

export type MembershipChange = keyof typeof MEMBERSHIP_EVENTS;

export function logMembership(org: SandboxOrg, change: MembershipChange, app: AppRecord, user: UserRecord) {
  const [eventType, message] = MEMBERSHIP_EVENTS[change];
  org.log.record(eventType, message, [appUserTarget(app, user), appTarget(app), userTarget(user)]);
}

function appUserTarget(app: AppRecord, user: UserRecord) {
  return {
    id: assignmentIdOf(app, user.id),
    type: 'AppUser',
    alternateId: user.profile.login,
    displayName: `${user.profile.firstName ?? ''} ${user.profile.lastName ?? ''}`.trim(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Ids and profiles of app users

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A stable Okta-shaped id for something that is computed rather than stored (a group-scoped app user). */
export function derivedId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('/')).digest();
  let id = prefix;
  for (const byte of digest) {
    if (id.length >= 20) break;
    id += BASE62[byte % 62];
  }
  return id;
}

/** The id of a user's assignment to an app (`0ua...`), which Okta's app links call `appAssignmentId`. */
export function assignmentIdOf(app: AppRecord, userId: string): string {
  return derivedId('0ua', app.id, userId);
}

export function provisions(app: AppRecord): boolean {
  return app.features.includes('PUSH_NEW_USERS');
}

export function defaultUserName(app: AppRecord, user: UserRecord): string {
  const login = user.profile.login;
  switch (app.userNameTemplate) {
    case 'email':
      return String(user.profile.email ?? login);
    case 'loginPrefix':
      return login.split('@')[0] ?? login;
    case 'login':
      return login;
  }
}

/**
 * The app user profile that the app's default profile mappings give. OpenID Connect apps use the OIDC
 * claim names (no firstName or lastName: Okta's description of listApplicationUsers notes it for `q`);
 * bookmark and SWA apps have no mapped attributes.
 */
export function mappedProfile(app: AppRecord, user: UserRecord): Record<string, unknown> {
  const profile = user.profile;
  switch (app.kind) {
    case 'saml':
      return {
        email: profile.email ?? null,
        firstName: profile.firstName ?? null,
        lastName: profile.lastName ?? null,
        displayName: profile.displayName ?? `${profile.firstName ?? ''} ${profile.lastName ?? ''}`.trim(),
        mobilePhone: profile.mobilePhone ?? null,
      };
    case 'oidc':
      return {
        email: profile.email ?? null,
        given_name: profile.firstName ?? null,
        family_name: profile.lastName ?? null,
        name: `${profile.firstName ?? ''} ${profile.lastName ?? ''}`.trim(),
        locale: profile.locale ?? 'en_US',
        zoneinfo: profile.timezone ?? 'America/Los_Angeles',
      };
    case 'bookmark':
    case 'swa':
      return {};
  }
}

// How many apps a group is assigned to, for the groups module (which does not import this one).
groupHooks.appsCount = (org, groupId) =>
  [...appsOf(org).groupAssignments.values()].filter((assignments) =>
    assignments.some((a) => a.groupId === groupId),
  ).length;
