/**
 * Users' state: the user records, looking a user up by id, login or login shortname, creating a user
 * (activating by default, as Okta does) under the default profile's and password policy's rules, status
 * changes, and the hooks through which other resource families take part in a user's lifecycle.
 */
import { alreadyExists, notFound, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { checkProfileAttributesDefined } from '../user-schema.js';

export type UserStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

export interface UserRecord {
  id: string;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  type: { id: string };
  realmId?: string;
  profile: Record<string, unknown> & { login: string };
  /** Never sent back: Okta returns `password: {}` for a user who has one. */
  password: string | undefined;
  recoveryQuestion: string | undefined;
}

interface UserSlice {
  byId: Map<string, UserRecord>;
  byLogin: Map<string, string>;
}

/** The id of the default user type, which every user gets unless another is named. */
export const DEFAULT_USER_TYPE_ID = 'oty00000000sandbox00';

export function usersOf(org: SandboxOrg): UserSlice {
  return org.slice('users', () => ({ byId: new Map(), byLogin: new Map() }));
}

/** Okta looks a user up by id, by login, or by a login shortname (the part before @) if unambiguous. */
export function findUser(org: SandboxOrg, idOrLogin: string): UserRecord | undefined {
  const users = usersOf(org);
  const byId = users.byId.get(idOrLogin);
  if (byId) return byId;
  const byLogin = users.byLogin.get(idOrLogin.toLowerCase());
  if (byLogin) return users.byId.get(byLogin);
  if (idOrLogin.includes('@')) return undefined;
  const short = idOrLogin.toLowerCase();
  const matches = [...users.byId.values()].filter(
    (u) => u.profile.login.toLowerCase().split('@')[0] === short,
  );
  return matches.length === 1 ? matches[0] : undefined;
}

export function requireUser(org: SandboxOrg, idOrLogin: string, principalUserId?: string): UserRecord {
  const key = idOrLogin === 'me' && principalUserId ? principalUserId : idOrLogin;
  const user = findUser(org, key);
  if (!user) throw notFound(idOrLogin, 'User');
  return user;
}

/** A user as the log names it. */
export function userTarget(user: UserRecord) {
  return {
    id: user.id,
    type: 'User',
    alternateId: user.profile.login,
    displayName: `${user.profile.firstName ?? ''} ${user.profile.lastName ?? ''}`.trim(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Creating and changing users

export interface NewUser {
  profile: Record<string, unknown>;
  password?: string;
  recoveryQuestion?: { question: string; answer: string };
  activate: boolean;
  typeId?: string;
  realmId?: string;
  /** For seeding: skip the System Log. */
  quiet?: boolean;
}

export function insertUser(org: SandboxOrg, input: NewUser): UserRecord {
  checkProfileAttributesDefined(org, input.profile, 'newUser');
  const profile = checkProfile(org, input.profile, undefined);
  if (input.password !== undefined) checkPassword(input.password, profile);
  const now = org.now();
  const status: UserStatus = input.activate
    ? input.password !== undefined
      ? 'ACTIVE'
      : 'PROVISIONED'
    : 'STAGED';
  const user: UserRecord = {
    id: org.ids.id('00u'),
    status,
    created: now,
    activated: input.activate ? now : null,
    statusChanged: input.activate ? now : null,
    lastLogin: null,
    lastUpdated: now,
    passwordChanged: input.password !== undefined ? now : null,
    type: { id: input.typeId ?? DEFAULT_USER_TYPE_ID },
    ...(input.realmId ? { realmId: input.realmId } : {}),
    profile,
    password: input.password,
    recoveryQuestion: input.recoveryQuestion?.question,
  };
  const users = usersOf(org);
  users.byId.set(user.id, user);
  users.byLogin.set(profile.login.toLowerCase(), user.id);
  org.changed();
  if (!input.quiet) {
    org.log.record('user.lifecycle.create', 'Create Okta user', [userTarget(user)]);
    if (input.activate) org.log.record('user.lifecycle.activate', 'Activate Okta user', [userTarget(user)]);
  }
  return user;
}

const REQUIRED_PROFILE = ['login', 'email', 'firstName', 'lastName'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The default Okta user profile's rules: the four base attributes required, login and emails well-formed. */
export function checkProfile(
  org: SandboxOrg,
  profile: Record<string, unknown>,
  currentUserId: string | undefined,
): Record<string, unknown> & { login: string } {
  const causes: string[] = [];
  for (const name of REQUIRED_PROFILE) {
    const value = profile[name];
    if (typeof value !== 'string' || value.trim() === '')
      causes.push(`${name}: The field cannot be left blank`);
  }
  const login = profile.login;
  if (typeof login === 'string' && login && !EMAIL.test(login)) {
    causes.push('login: Username must be in the form of an email address');
  }
  for (const name of ['email', 'secondEmail']) {
    const value = profile[name];
    if (typeof value === 'string' && value && !EMAIL.test(value))
      causes.push(`${name}: Does not match required pattern`);
  }
  if (causes.length > 0) throw validationFailed(causes.map((c) => c.split(':')[0]).join(', '), causes);
  const owner = usersOf(org).byLogin.get((login as string).toLowerCase());
  if (owner && owner !== currentUserId) throw alreadyExists('login');
  return profile as Record<string, unknown> & { login: string };
}

/** Okta's default password policy: at least 8 characters, lower case, upper case, a digit, not the login. */
export function checkPassword(password: string, profile: Record<string, unknown>): void {
  const login =
    String(profile.login ?? '')
      .split('@')[0]
      ?.toLowerCase() ?? '';
  const weak =
    password.length < 8 ||
    !/[a-z]/.test(password) ||
    !/[A-Z]/.test(password) ||
    !/\d/.test(password) ||
    (login.length >= 4 && password.toLowerCase().includes(login));
  if (weak) {
    throw validationFailed('password', [
      'password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.',
    ]);
  }
}

export function setStatus(org: SandboxOrg, user: UserRecord, status: UserStatus): void {
  const now = org.now();
  if (status === 'ACTIVE' && user.activated === null) user.activated = now;
  user.status = status;
  user.statusChanged = now;
  user.lastUpdated = now;
  org.changed();
}

type UserListener = (org: SandboxOrg, user: UserRecord) => void;

/**
 * Where other resource modules plug into users (routes.ts imports them all), so this module need not
 * import every module that refers to users. Checks run before anything changes and throw Okta's error;
 * the single-owner operations belong to one module; listeners hear about a change after it happened.
 */
export const userHooks = {
  /** Groups module: groupIds of a new user must be OKTA_GROUP groups that exist. */
  checkGroupIds: (_org: SandboxOrg, _groupIds: string[]): void => undefined,
  /** User types module: a type id must exist. */
  checkTypeId: (_org: SandboxOrg, _typeId: string): void => undefined,
  /** Realms module: a user's realm must exist, and take the user's login and email domains. */
  checkRealm: (_org: SandboxOrg, _realmId: string, _profile: Record<string, unknown>): void => undefined,
  /** Groups module: adds a new user to the groups the request named. */
  addToGroups: (_org: SandboxOrg, _user: UserRecord, _groupIds: string[]): void => undefined,
  /** Credentials module: ends the user's sessions. */
  endSessions: (_org: SandboxOrg, _user: UserRecord): void => undefined,
  /** Credentials module: removes every factor. */
  resetFactors: (_org: SandboxOrg, _user: UserRecord): void => undefined,
  /** Credentials module: whether the user has a factor enrolled. */
  hasFactors: (_org: SandboxOrg, _user: UserRecord): boolean => false,
  /** Credentials module: lifts the user's sign-in blocks (unlock). */
  clearBlocks: (_org: SandboxOrg, _user: UserRecord): void => undefined,
  /** After a user was created and added to the groups the request named (group rules evaluate them). */
  created: [] as UserListener[],
  /** After a profile changed or the user was (re)activated: group rules evaluate the user again. */
  profileChanged: [] as UserListener[],
  /** After a user was deactivated (apps deprovision the user; API tokens of the user are revoked). */
  deactivated: [] as UserListener[],
};

export function notify(listeners: UserListener[], org: SandboxOrg, user: UserRecord): void {
  for (const listener of listeners) listener(org, user);
}

// The statuses lifecycle operations may start from, and the links of a user show.
export const ALL_BUT_DEPROVISIONED: UserStatus[] = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
];
export const CAN_SIGN_IN: UserStatus[] = ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'];
