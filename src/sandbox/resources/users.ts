/**
 * Users: create (activating by default, as Okta does), read by id, login or login shortname, list with
 * search, filter and q, partial POST and full PUT updates, the lifecycle state machine, and two-phase
 * delete. Rules follow Okta's API description of each operation.
 */
import { alreadyExists, notAllowedInStatus, notFound, OktaHttpError, validationFailed } from '../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../expressions.js';
import type { SandboxOrg } from '../org.js';
import { compareKeys, type SortKey } from '../paging.js';
import {
  flag,
  link,
  listPage,
  noContent,
  ok,
  type RouteContext,
  type RouteHandler,
  type RouteResult,
} from '../route.js';
import { checkProfileAttributesDefined, userSchemaIdOf } from './user-schema.js';

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

/**
 * Okta's `okta-response` parameter of the Content-Type header on user reads: `omitCredentials` leaves
 * the credentials object out. (The sandbox sends no credential-operation links, so `omitCredentialsLinks`
 * has nothing to remove.)
 */
export function omitsCredentials(headers: RouteContext['headers']): boolean {
  const contentType = String(headers['content-type'] ?? '');
  const omissions = /okta-response="?([^";]*)/i.exec(contentType)?.[1] ?? '';
  return omissions.split(',').some((token) => token.trim() === 'omitCredentials');
}

export function userJson(
  org: SandboxOrg,
  user: UserRecord,
  { omitCredentials = false } = {},
): Record<string, unknown> {
  const { password, recoveryQuestion, ...visible } = user;
  return {
    ...visible,
    ...(omitCredentials
      ? {}
      : {
          credentials: {
            ...(password !== undefined ? { password: {} } : {}),
            ...(recoveryQuestion ? { recovery_question: { question: recoveryQuestion } } : {}),
            provider: { type: 'OKTA', name: 'OKTA' },
          },
        }),
    _links: userLinks(org, user),
  };
}

/**
 * The links of a user, as Okta's Users API gives them: self, type and schema, and one for each lifecycle or
 * credential operation the user's status allows (Okta: "link relations available for the current status of
 * a user"), those with the method to call them by. The statuses follow the sandbox's own lifecycle rules.
 */
function userLinks(org: SandboxOrg, user: UserRecord): Record<string, unknown> {
  const users = `/api/v1/users/${user.id}`;
  const post = (path: string) => ({ href: `${org.baseUrl}${users}${path}`, method: 'POST' });
  const { status } = user;
  const signsIn = CAN_SIGN_IN.includes(status);
  const hasPassword = user.password !== undefined;
  return {
    self: link(org, users),
    type: link(org, `/api/v1/meta/types/user/${user.type.id}`),
    schema: link(org, `/api/v1/meta/schemas/user/${userSchemaIdOf(user.type.id)}`),
    ...(status === 'STAGED' || status === 'DEPROVISIONED' ? { activate: post('/lifecycle/activate') } : {}),
    ...(status === 'PROVISIONED' ? { reactivate: post('/lifecycle/reactivate') } : {}),
    ...(status === 'ACTIVE' ? { suspend: post('/lifecycle/suspend') } : {}),
    ...(status === 'SUSPENDED' ? { unsuspend: post('/lifecycle/unsuspend') } : {}),
    ...(status === 'LOCKED_OUT' ? { unlock: post('/lifecycle/unlock') } : {}),
    ...(signsIn || status === 'PROVISIONED' ? { resetPassword: post('/lifecycle/reset_password') } : {}),
    ...(signsIn ? { expirePassword: post('/lifecycle/expire_password') } : {}),
    // Only while a factor is enrolled, as in Okta's examples of active users with and without one.
    ...(signsIn && userHooks.hasFactors(org, user) ? { resetFactors: post('/lifecycle/reset_factors') } : {}),
    ...(signsIn && hasPassword
      ? {
          forgotPassword: post('/credentials/forgot_password'),
          changePassword: post('/credentials/change_password'),
          changeRecoveryQuestion: post('/credentials/change_recovery_question'),
        }
      : {}),
    ...(status !== 'DEPROVISIONED' ? { deactivate: post('/lifecycle/deactivate') } : {}),
  };
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
function checkProfile(
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
function checkPassword(password: string, profile: Record<string, unknown>): void {
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

function setStatus(org: SandboxOrg, user: UserRecord, status: UserStatus): void {
  const now = org.now();
  if (status === 'ACTIVE' && user.activated === null) user.activated = now;
  user.status = status;
  user.statusChanged = now;
  user.lastUpdated = now;
  org.changed();
}

// ---------------------------------------------------------------------------------------------------------
// Listing

const SEARCH_RULES: ExpressionRules = {
  name: 'search',
  operators: new Set<Operator>(['eq', 'sw', 'co', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']),
  caseInsensitive: true,
};
const eqOnly = new Set<Operator>(['eq']);
const FILTER_RULES: ExpressionRules = {
  name: 'filter',
  operators: eqOnly,
  attributes: {
    status: eqOnly,
    id: eqOnly,
    'profile.login': eqOnly,
    'profile.email': eqOnly,
    'profile.firstName': eqOnly,
    'profile.lastName': eqOnly,
    lastUpdated: new Set<Operator>(['eq', 'gt', 'ge', 'lt', 'le']),
  },
  caseInsensitive: false,
};
const PAGE = { defaultLimit: 200, maxLimit: 200 };

const listUsers: RouteHandler = (context) => {
  const { org, query } = context;
  const search = query.get('search');
  const filter = query.get('filter');
  const q = query.get('q');
  const all = [...usersOf(org).byId.values()];
  const shape = { omitCredentials: omitsCredentials(context.headers) };

  if (q !== null) {
    // q: a people picker. Not pageable; DEPROVISIONED users never match.
    const prefix = q.toLowerCase();
    const limit = Math.min(Number(query.get('limit') ?? 10) || 10, 200);
    const matches = all
      .filter((u) => u.status !== 'DEPROVISIONED')
      .filter((u) =>
        ['firstName', 'lastName', 'email'].some((f) =>
          String(u.profile[f] ?? '')
            .toLowerCase()
            .startsWith(prefix),
        ),
      )
      .sort((a, b) => compareKeys([a.id], [b.id]))
      .slice(0, limit);
    return ok(matches.map((u) => userJson(org, u, shape)));
  }
  if (search !== null && filter !== null) {
    throw new OktaHttpError(400, 'E0000031', 'Invalid search criteria.', [
      'Use either search or filter, not both.',
    ]);
  }

  const expression =
    search !== null
      ? parseExpression(search, SEARCH_RULES)
      : filter !== null
        ? parseExpression(filter, FILTER_RULES)
        : undefined;
  const sortBy = search !== null ? query.get('sortBy') : null;
  const descending = sortBy !== null && query.get('sortOrder') === 'desc';
  const keyOf = (u: UserRecord): SortKey => (sortBy ? [sortValue(u, sortBy), u.id] : [u.id]);
  const sorted = org.cachedList(`users|${search}|${filter}|${sortBy}|${descending}`, () => {
    const matching = expression
      ? all.filter((u) => evaluate(expression, searchable(u), search !== null))
      : all.filter((u) => u.status !== 'DEPROVISIONED');
    return matching.sort((a, b) => compareKeys(keyOf(a), keyOf(b)) * (descending ? -1 : 1));
  });
  return listPage(context, sorted, keyOf, PAGE, (u) => userJson(org, u, shape), descending);
};

function searchable(user: UserRecord) {
  return { ...user, password: undefined };
}

function sortValue(user: UserRecord, path: string): string | number | null {
  let current: unknown = user;
  for (const part of path.split('.')) current = (current as Record<string, unknown> | undefined)?.[part];
  return typeof current === 'number' ? current : current == null ? null : String(current).toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Routes

interface CreateUserBody {
  profile: Record<string, unknown>;
  credentials?: { password?: { value?: string }; recovery_question?: { question: string; answer: string } };
  groupIds?: string[];
  type?: { id?: string };
  realmId?: string;
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

function notify(listeners: UserListener[], org: SandboxOrg, user: UserRecord): void {
  for (const listener of listeners) listener(org, user);
}

const createUser: RouteHandler = (context) => {
  const body = context.body as CreateUserBody;
  const groupIds = body.groupIds ?? [];
  userHooks.checkGroupIds(context.org, groupIds);
  if (body.type?.id) userHooks.checkTypeId(context.org, body.type.id);
  if (body.realmId) userHooks.checkRealm(context.org, body.realmId, body.profile);
  const user = insertUser(context.org, {
    profile: { ...body.profile },
    password: body.credentials?.password?.value,
    recoveryQuestion: body.credentials?.recovery_question,
    activate: flag(context, 'activate', true),
    typeId: body.type?.id,
    realmId: body.realmId,
  });
  userHooks.addToGroups(context.org, user, groupIds);
  notify(userHooks.created, context.org, user);
  if (context.query.get('nextLogin') === 'changePassword' && user.status === 'ACTIVE')
    setStatus(context.org, user, 'PASSWORD_EXPIRED');
  return ok(userJson(context.org, user));
};

const getUser: RouteHandler = (context) =>
  ok(
    userJson(context.org, requireUser(context.org, context.params.id!, context.principal.userId), {
      omitCredentials: omitsCredentials(context.headers),
    }),
  );

/** POST: only the attributes sent change; an attribute sent as null is cleared. */
const updateUser: RouteHandler = (context) => changeUser(context, 'partial');

/** PUT: the profile sent replaces the whole profile; attributes left out are gone. */
const replaceUser: RouteHandler = (context) => changeUser(context, 'replace');

function changeUser(context: RouteContext, mode: 'partial' | 'replace'): RouteResult {
  const { org } = context;
  const user = requireUser(org, context.params.id!, context.principal.userId);
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus();
  const body = (context.body ?? {}) as Omit<CreateUserBody, 'groupIds'>;

  // Everything is checked before anything changes: a refused update changes nothing.
  let profile: UserRecord['profile'] | undefined;
  if (body.profile) {
    checkProfileAttributesDefined(org, body.profile, 'userProfile');
    profile = checkProfile(
      org,
      mode === 'replace' ? { ...body.profile } : { ...user.profile, ...body.profile },
      user.id,
    );
  }
  const password = body.credentials?.password?.value;
  if (password !== undefined) checkPassword(password, profile ?? user.profile);
  const typeId = body.type?.id;
  if (typeId !== undefined) checkTypeChange(org, user, typeId, mode);
  // A realm with allowed domains holds only users from them, when they move in and when they change.
  const realmId = body.realmId ?? user.realmId;
  if (realmId !== undefined && (body.realmId !== undefined || profile))
    userHooks.checkRealm(org, realmId, profile ?? user.profile);

  const events: string[] = [];
  if (profile) {
    const usersSlice = usersOf(org);
    usersSlice.byLogin.delete(user.profile.login.toLowerCase());
    usersSlice.byLogin.set(profile.login.toLowerCase(), user.id);
    user.profile = profile;
    events.push('user.account.update_profile');
  }
  if (password !== undefined) {
    user.password = password;
    user.passwordChanged = org.now();
    if (user.status === 'PASSWORD_EXPIRED' || user.status === 'RECOVERY') user.status = 'ACTIVE';
    events.push('user.account.update_password');
  }
  if (body.credentials?.recovery_question)
    user.recoveryQuestion = body.credentials.recovery_question.question;
  if (typeId !== undefined) user.type = { id: typeId };
  // Okta moves a user to another realm through the user's realmId (Okta help: "Manage realm users").
  if (body.realmId !== undefined) user.realmId = body.realmId;
  user.lastUpdated = org.now();
  org.changed();
  for (const event of events) org.log.record(event, 'Update user profile for Okta', [userTarget(user)]);
  if (body.profile) notify(userHooks.profileChanged, org, user);
  return ok(userJson(org, user));
}

/**
 * A type named in an update. Only a full replacement (PUT) may change a user's type; a partial update (POST)
 * may repeat the type the user has, nothing else (Okta's updateUser description: "the value must match the
 * existing type of the user"). A new type must exist, as for createUser.
 */
function checkTypeChange(
  org: SandboxOrg,
  user: UserRecord,
  typeId: string,
  mode: 'partial' | 'replace',
): void {
  if (mode === 'partial' && typeId !== user.type.id) {
    throw validationFailed('type', [
      `type.id: A partial update cannot change the user type (the user's is ${user.type.id}); replace the user (PUT) to change it`,
    ]);
  }
  userHooks.checkTypeId(org, typeId);
}

const deleteUser: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.id!, context.principal.userId);
  if (user.status !== 'DEPROVISIONED') {
    deactivate(org, user);
    return noContent();
  }
  const users = usersOf(org);
  users.byId.delete(user.id);
  users.byLogin.delete(user.profile.login.toLowerCase());
  org.log.record('user.lifecycle.delete.initiated', 'Delete Okta user', [userTarget(user)]);
  org.deleted('user', user.id);
  return noContent();
};

function deactivate(org: SandboxOrg, user: UserRecord): void {
  setStatus(org, user, 'DEPROVISIONED');
  userHooks.endSessions(org, user);
  notify(userHooks.deactivated, org, user);
  org.log.record('user.lifecycle.deactivate', 'Deactivate Okta user', [userTarget(user)]);
}

/** A lifecycle operation: allowed only from some statuses, then a new status (and maybe an answer body). */
function lifecycle(
  from: readonly UserStatus[],
  apply: (context: RouteContext, user: UserRecord) => unknown,
): RouteHandler {
  return (context) => {
    const user = requireUser(context.org, context.params.id!, context.principal.userId);
    if (!from.includes(user.status)) throw notAllowedInStatus();
    const body = apply(context, user);
    return body === undefined ? ok(undefined) : ok(body);
  };
}

const ALL_BUT_DEPROVISIONED: UserStatus[] = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
];
const CAN_SIGN_IN: UserStatus[] = ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'];

function activationToken(context: RouteContext) {
  const token = context.org.ids.id('', 20);
  return { activationUrl: `${context.org.baseUrl}/welcome/${token}`, activationToken: token };
}

const activateUser = lifecycle(['STAGED', 'DEPROVISIONED'], (context, user) => {
  setStatus(context.org, user, user.password !== undefined ? 'ACTIVE' : 'PROVISIONED');
  context.org.log.record('user.lifecycle.activate', 'Activate Okta user', [userTarget(user)]);
  notify(userHooks.profileChanged, context.org, user);
  return flag(context, 'sendEmail', true) ? {} : activationToken(context);
});

const reactivateUser = lifecycle(['PROVISIONED', 'RECOVERY'], (context, user) => {
  setStatus(context.org, user, 'PROVISIONED');
  context.org.log.record('user.lifecycle.reactivate', 'Reactivate Okta user', [userTarget(user)]);
  notify(userHooks.profileChanged, context.org, user);
  return flag(context, 'sendEmail', false) ? {} : activationToken(context);
});

const deactivateUser = lifecycle(ALL_BUT_DEPROVISIONED, (context, user) => {
  deactivate(context.org, user);
  return undefined;
});

const suspendUser = lifecycle(['ACTIVE'], (context, user) => {
  setStatus(context.org, user, 'SUSPENDED');
  userHooks.endSessions(context.org, user);
  context.org.log.record('user.lifecycle.suspend', 'Suspend Okta user', [userTarget(user)]);
  return undefined;
});

const unsuspendUser = lifecycle(['SUSPENDED'], (context, user) => {
  setStatus(context.org, user, 'ACTIVE');
  context.org.log.record('user.lifecycle.unsuspend', 'Unsuspend Okta user', [userTarget(user)]);
  return undefined;
});

/** Okta: unlocks a LOCKED_OUT user, or an ACTIVE user who is blocked from unknown devices. */
const unlockUser = lifecycle(['LOCKED_OUT', 'ACTIVE'], (context, user) => {
  if (user.status === 'LOCKED_OUT') setStatus(context.org, user, 'ACTIVE');
  userHooks.clearBlocks(context.org, user);
  context.org.log.record('user.account.unlock', 'Unlock user account', [userTarget(user)]);
  return undefined;
});

const resetPassword = lifecycle([...CAN_SIGN_IN, 'PROVISIONED'], (context, user) => {
  setStatus(context.org, user, 'RECOVERY');
  if (flag(context, 'revokeSessions', false)) userHooks.endSessions(context.org, user);
  context.org.log.record('user.account.reset_password', 'Reset password for Okta user', [userTarget(user)]);
  if (flag(context, 'sendEmail', true)) return {};
  return { resetPasswordUrl: `${context.org.baseUrl}/reset_password/${context.org.ids.id('', 20)}` };
});

const expirePassword = lifecycle(CAN_SIGN_IN, (context, user) => {
  setStatus(context.org, user, 'PASSWORD_EXPIRED');
  context.org.log.record('user.account.expire_password', 'Expire password for Okta user', [userTarget(user)]);
  return userJson(context.org, user);
});

const expirePasswordWithTempPassword = lifecycle(CAN_SIGN_IN, (context, user) => {
  const tempPassword = `Tmp${context.org.ids.id('', 9)}1a`;
  user.password = tempPassword;
  user.passwordChanged = context.org.now();
  setStatus(context.org, user, 'PASSWORD_EXPIRED');
  if (flag(context, 'revokeSessions', false)) userHooks.endSessions(context.org, user);
  context.org.log.record('user.account.expire_password', 'Expire password for Okta user', [userTarget(user)]);
  return { tempPassword };
});

const resetFactors = lifecycle(ALL_BUT_DEPROVISIONED, (context, user) => {
  userHooks.resetFactors(context.org, user);
  context.org.log.record('user.mfa.factor.reset_all', 'Reset all factors for user', [userTarget(user)]);
  return undefined;
});

export const userRoutes: Record<string, RouteHandler> = {
  listUsers,
  createUser,
  getUser,
  updateUser,
  replaceUser,
  deleteUser,
  activateUser,
  reactivateUser,
  deactivateUser,
  suspendUser,
  unsuspendUser,
  unlockUser,
  resetPassword,
  expirePassword,
  expirePasswordWithTempPassword,
  resetFactors,
};
