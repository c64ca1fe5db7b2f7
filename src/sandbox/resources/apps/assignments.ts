/**
 * Changing applications: adding an app, its ACTIVE/INACTIVE lifecycle, assigning users and groups, and
 * deprovisioning a deactivated user. Each change logs what Okta's System Log records of it, including
 * the users who gain or lose an app through a group.
 */
import { notAllowedInStatus, OktaHttpError, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { type GroupRecord, groupTarget, memberIds } from '../groups/model.js';
import { type UserRecord, userHooks, usersOf } from '../users/model.js';
import {
  type AppKind,
  type AppRecord,
  type AppStatus,
  type AppUserRecord,
  accessOf,
  activeAccessOf,
  appsOf,
  appTarget,
  appUsersOf,
  defaultUserName,
  type GroupAssignmentRecord,
  groupAssignmentsOf,
  logMembership,
  type MembershipChange,
  membersOfAssignedGroups,
  pruneLostOverrides,
  renumber,
  type SwaScheme,
  type UserNameTemplate,
} from './model.js';

/**
 * Runs a change to the app's group assignments or status, then records which of `candidates` (the members
 * of the groups concerned) gained or lost the app through it, as Okta logs each group-driven assignment.
 */
export function changeGroupAccess(
  org: SandboxOrg,
  app: AppRecord,
  candidates: readonly string[],
  change: () => void,
  quiet = false,
): void {
  const users = usersOf(org).byId;
  const hadApp = new Set(candidates.filter((id) => activeAccessOf(org, app, users.get(id))));
  change();
  pruneLostOverrides(org, app, candidates);
  org.changed();
  if (quiet) return;
  for (const userId of candidates) {
    const user = users.get(userId);
    const hasApp = activeAccessOf(org, app, user) !== undefined;
    if (!user || hasApp === hadApp.has(userId)) continue;
    logMembership(org, hasApp ? 'add' : 'remove', app, user);
  }
}

export interface NewApp {
  kind: AppKind;
  label: string;
  url: string;
  /** The catalog name of a SAML app (salesforce, slack, githubcloud, ...); other kinds have a fixed one. */
  name?: string;
  status?: AppStatus;
  /** Provisioning (PUSH_NEW_USERS and friends): app users are PROVISIONED with an externalId. */
  provisioning?: boolean;
  userNameTemplate?: UserNameTemplate;
  swaScheme?: SwaScheme;
  hidden?: boolean;
  /** For seeding: skip the System Log. */
  quiet?: boolean;
}

const PROVISIONING_FEATURES = [
  'IMPORT_NEW_USERS',
  'IMPORT_PROFILE_UPDATES',
  'PUSH_NEW_USERS',
  'PUSH_PROFILE_UPDATES',
  'PUSH_USER_DEACTIVATION',
  'REACTIVATE_USERS',
];

const FIXED_NAMES: Record<Exclude<AppKind, 'saml'>, string> = {
  oidc: 'oidc_client',
  bookmark: 'bookmark',
  swa: 'template_swa',
};

/** Adds an app (there is no create operation in the sandbox: the seed and tests use this). */
export function insertApp(org: SandboxOrg, input: NewApp): AppRecord {
  const slice = appsOf(org);
  const now = org.now();
  const app: AppRecord = {
    id: org.ids.id('0oa'),
    kind: input.kind,
    name:
      input.kind === 'saml'
        ? (input.name ?? `sandbox_customsaml20app_${slice.byId.size + 1}`)
        : FIXED_NAMES[input.kind],
    label: input.label,
    url: input.url,
    status: input.status ?? 'ACTIVE',
    created: now,
    lastUpdated: now,
    features: input.provisioning ? [...PROVISIONING_FEATURES] : [],
    userNameTemplate: input.userNameTemplate ?? 'login',
    swaScheme: input.kind === 'swa' ? (input.swaScheme ?? 'EDIT_USERNAME_AND_PASSWORD') : undefined,
    hidden: input.hidden ?? false,
    signingKid: org.ids.id('', 43),
    externalKey: org.ids.id('exk'),
    linkId: 20 + Math.floor(org.ids.random() * 80),
  };
  slice.byId.set(app.id, app);
  org.changed();
  if (!input.quiet) org.log.record('application.lifecycle.create', 'Add application', [appTarget(app)]);
  return app;
}

export interface UserAssignment {
  /** USER (the default) makes the assignment direct; GROUP keeps a group-given one as it is. */
  scope?: 'USER' | 'GROUP';
  userName?: string;
  password?: string;
  profile?: Record<string, unknown>;
  quiet?: boolean;
}

/**
 * Which credentials a user may have on the app. A username suits every app but a shared-account SWA app;
 * a password only apps whose users (or admins) keep one: Okta refuses the rest with E0000041.
 */
export function checkCredentials(
  app: AppRecord,
  userName: string | undefined,
  password: string | undefined,
): void {
  const shared = app.swaScheme === 'SHARED_USERNAME_AND_PASSWORD';
  const keepsPasswords = app.kind === 'swa' && !shared;
  if ((password !== undefined && !keepsPasswords) || (userName !== undefined && shared)) {
    throw new OktaHttpError(
      400,
      'E0000041',
      'Credentials should not be set on this resource based on the scheme.',
      ['User level credentials should not be provided for this scheme.'],
    );
  }
}

/**
 * Assigns a user to the app, or updates the assignment the user has: Okta answers the app user either way.
 * A group-scoped user assigned directly becomes scope USER and keeps the app when the group goes.
 */
export function assignUser(org: SandboxOrg, app: AppRecord, user: UserRecord, input: UserAssignment = {}) {
  // Okta deprovisions a deactivated user from every app; it takes no new assignment until reactivated.
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus();
  checkCredentials(app, input.userName, input.password);
  const before = activeAccessOf(org, app, user);
  if (input.scope === 'GROUP' && before?.scope !== 'GROUP') {
    throw validationFailed('scope', ['scope: Only a group assignment gives a user the app with scope GROUP']);
  }
  const records = appUsersOf(org, app);
  const now = org.now();
  // A user without the app starts afresh, even if a group once gave it and left something behind.
  const record = (before && records.get(user.id)) || newAppUserRecord(before?.grant?.created ?? now, now);
  if (input.scope !== 'GROUP') {
    // A group assignment made direct keeps the app profile the group gave it: Okta converts the same app
    // user, so its attribute values stay (they are no longer driven by the group).
    if (before?.scope === 'GROUP') record.profile = { ...before.grant?.profile, ...record.profile };
    record.direct = true;
  }
  const changes = applyChanges(record, app, user, input, now);
  records.set(user.id, record);
  org.changed();
  // A new assignment is one event; an existing one logs what the request changed.
  const logged: MembershipChange[] = input.quiet ? [] : before ? changes : ['add'];
  for (const change of logged) logMembership(org, change, app, user);
  return activeAccessOf(org, app, user)!;
}

/** A group-scoped user's record starts when the group gave the app; a direct assignment, now. */
export function newAppUserRecord(created: string, now: string): AppUserRecord {
  return {
    direct: false,
    created,
    lastUpdated: now,
    userName: undefined,
    password: undefined,
    passwordChanged: null,
    profile: {},
  };
}

/** Sets what the request sends; returns what changed, for the System Log. */
export function applyChanges(
  record: AppUserRecord,
  app: AppRecord,
  user: UserRecord,
  input: Pick<UserAssignment, 'userName' | 'password' | 'profile'>,
  now: string,
): MembershipChange[] {
  const changes: MembershipChange[] = [];
  const currentUserName = record.userName ?? defaultUserName(app, user);
  if (input.userName !== undefined && input.userName !== currentUserName) {
    record.userName = input.userName;
    changes.push('change_username');
  }
  if (input.password !== undefined) {
    record.password = input.password;
    record.passwordChanged = now;
    changes.push('change_password');
  }
  if (input.profile !== undefined) {
    record.profile = { ...record.profile, ...input.profile };
    changes.push('update');
  }
  record.lastUpdated = now;
  return changes;
}

export interface GroupAssignmentInput {
  priority?: number;
  profile?: Record<string, unknown>;
  quiet?: boolean;
}

/**
 * Assigns a group to the app (or updates its assignment): the group's members get the app with scope
 * GROUP. Priorities stay 0..n-1: a new assignment goes last unless given a place, and the others move.
 */
export function assignGroup(
  org: SandboxOrg,
  app: AppRecord,
  group: GroupRecord,
  input: GroupAssignmentInput = {},
): GroupAssignmentRecord {
  if (input.priority !== undefined && input.priority < 0) {
    throw validationFailed('priority', ['priority: The priority must be zero or more']);
  }
  const assignments = groupAssignmentsOf(org, app);
  const now = org.now();
  const existing = assignments.find((a) => a.groupId === group.id);
  const assignment: GroupAssignmentRecord = existing ?? {
    groupId: group.id,
    priority: assignments.length,
    profile: {},
    created: now,
    lastUpdated: now,
  };
  if (!input.quiet) {
    org.log.record(
      existing ? 'group.application_assignment.update' : 'group.application_assignment.add',
      existing ? 'Update application group assignment' : 'Assign application to group',
      [groupTarget(group), appTarget(app)],
    );
  }
  changeGroupAccess(
    org,
    app,
    memberIds(org, group),
    () => {
      if (existing) assignments.splice(assignments.indexOf(existing), 1);
      const place = Math.min(
        input.priority ?? (existing ? existing.priority : assignments.length),
        assignments.length,
      );
      assignments.splice(place, 0, assignment);
      renumber(assignments);
      if (input.profile !== undefined) assignment.profile = { ...input.profile };
      assignment.lastUpdated = now;
    },
    input.quiet,
  );
  return assignment;
}

export function setStatus(org: SandboxOrg, app: AppRecord, status: AppStatus): void {
  changeGroupAccess(org, app, membersOfAssignedGroups(org, app), () => {
    app.status = status;
    app.lastUpdated = org.now();
  });
}

// A deactivated user is deprovisioned from every app: direct assignments are removed for good; group ones
// come back with reactivation, since the user is still a member of the groups.
userHooks.deactivated.push((org, user) => {
  for (const app of appsOf(org).byId.values()) {
    if (!accessOf(org, app, user.id)) continue;
    appsOf(org).appUsers.get(app.id)?.delete(user.id);
    logMembership(org, 'remove', app, user);
  }
  org.changed();
});
