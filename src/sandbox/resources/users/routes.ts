/**
 * The Users API's operations: create, read by id, login or login shortname, list with search, filter and
 * q, partial POST and full PUT updates, the lifecycle state machine, and two-phase delete. Rules follow
 * Okta's API description of each operation.
 */
import { notAllowedInStatus, validationFailed } from '../../errors.js';
import { type ExpressionRules, evaluate, type Operator } from '../../expressions.js';
import { listCriteria, sortValueAt } from '../../list-criteria.js';
import type { SandboxOrg } from '../../org.js';
import { compareKeys, type SortKey } from '../../paging.js';
import {
  flag,
  listPage,
  noContent,
  ok,
  type RouteContext,
  type RouteHandler,
  type RouteResult,
} from '../../route.js';
import { checkProfileAttributesDefined } from '../user-schema.js';
import {
  ALL_BUT_DEPROVISIONED,
  CAN_SIGN_IN,
  checkPassword,
  checkProfile,
  insertUser,
  notify,
  requireUser,
  setStatus,
  type UserRecord,
  type UserStatus,
  userHooks,
  usersOf,
  userTarget,
} from './model.js';
import { omitsCredentials, userJson } from './render.js';

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
  const { search, filter, expression, sortBy, descending } = listCriteria(query, {
    search: SEARCH_RULES,
    filter: FILTER_RULES,
  });
  const keyOf = (u: UserRecord): SortKey => (sortBy ? [sortValueAt(u, sortBy, 'as numbers'), u.id] : [u.id]);
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

// ---------------------------------------------------------------------------------------------------------
// Reading, changing and deleting users

interface CreateUserBody {
  profile: Record<string, unknown>;
  credentials?: { password?: { value?: string }; recovery_question?: { question: string; answer: string } };
  groupIds?: string[];
  type?: { id?: string };
  realmId?: string;
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

  const events: Array<[eventType: string, message: string]> = [];
  if (profile) {
    const usersSlice = usersOf(org);
    usersSlice.byLogin.delete(user.profile.login.toLowerCase());
    usersSlice.byLogin.set(profile.login.toLowerCase(), user.id);
    user.profile = profile;
    events.push(['user.account.update_profile', 'Update user profile for Okta']);
  }
  if (password !== undefined) {
    user.password = password;
    user.passwordChanged = org.now();
    if (user.status === 'PASSWORD_EXPIRED' || user.status === 'RECOVERY') user.status = 'ACTIVE';
    events.push(['user.account.update_password', 'User update password for Okta']);
  }
  if (body.credentials?.recovery_question)
    user.recoveryQuestion = body.credentials.recovery_question.question;
  if (typeId !== undefined) user.type = { id: typeId };
  // Okta moves a user to another realm through the user's realmId (Okta help: "Manage realm users").
  if (body.realmId !== undefined) user.realmId = body.realmId;
  user.lastUpdated = org.now();
  org.changed();
  for (const [event, message] of events) org.log.record(event, message, [userTarget(user)]);
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
