/**
 * What a user signs in with and what signing in leaves behind: enrolled MFA factors, Okta sessions, OAuth
 * tokens issued to apps, OAuth consent grants, remembered MFA devices and device-based sign-in blocks.
 * Admins can list factors, grants and blocks, unenroll a factor, and revoke sessions or grants; the user
 * lifecycle (users.ts) ends sessions and resets factors through `userHooks`.
 */
import { notAllowedInStatus, notFound } from '../errors.js';
import type { SandboxOrg } from '../org.js';
import type { SortKey } from '../paging.js';
import { flag, link, listPage, noContent, ok, type RouteContext, type RouteHandler } from '../route.js';
import type { SeededOrg } from '../seed.js';
import { appsOf } from './apps/model.js';
import { requireUser, type UserRecord, userHooks, userTarget } from './users/model.js';

export type FactorType =
  | 'call'
  | 'email'
  | 'push'
  | 'question'
  | 'signed_nonce'
  | 'sms'
  | 'token:software:totp'
  | 'webauthn';

export interface FactorRecord {
  id: string;
  userId: string;
  factorType: FactorType;
  provider: 'OKTA' | 'GOOGLE' | 'FIDO';
  vendorName: string;
  status: 'ACTIVE';
  created: string;
  lastUpdated: string;
  profile: Record<string, unknown>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/** A refresh or access token an OAuth client holds for the user. */
export interface OAuthTokenRecord {
  id: string;
  userId: string;
  clientId: string;
  kind: 'refresh_token' | 'access_token';
}

export interface GrantRecord {
  id: string;
  /** Creation order, the grants' list order. */
  seq: number;
  userId: string;
  clientId: string;
  clientName: string;
  scopeId: string;
  scopeName: string;
  authorizationServerId: string;
  source: 'END_USER' | 'ADMIN';
  created: string;
  lastUpdated: string;
  createdBy: { id: string; type: 'User' };
}

export interface UserBlockRecord {
  type: 'DEVICE_BASED';
  appliesTo: 'ANY_DEVICES' | 'UNKNOWN_DEVICES';
}

interface CredentialsSlice {
  factors: Map<string, FactorRecord[]>;
  /** The phone number an sms or call factor also registered as the user's recovery phone. */
  recoveryPhones: Map<string, string>;
  sessions: Map<string, SessionRecord[]>;
  /** Devices on which the user chose "do not challenge me again" for MFA. */
  rememberedDevices: Map<string, string[]>;
  oauthTokens: Map<string, OAuthTokenRecord[]>;
  grants: Map<string, GrantRecord[]>;
  blocks: Map<string, UserBlockRecord[]>;
  /** Scope ids by "authorizationServerId/scopeName". */
  scopeIds: Map<string, string>;
  nextGrantSeq: number;
}

/** This module's state; exported so tests and other modules can look at what a user holds. */
export function credentialsOf(org: SandboxOrg): CredentialsSlice {
  return org.slice('credentials', (o) => {
    const slice: CredentialsSlice = {
      factors: new Map(),
      recoveryPhones: new Map(),
      sessions: new Map(),
      rememberedDevices: new Map(),
      oauthTokens: new Map(),
      grants: new Map(),
      blocks: new Map(),
      scopeIds: new Map(),
      nextGrantSeq: 0,
    };
    o.onDelete('user', (userId) => forgetUser(slice, userId));
    o.onDelete('app', (appId) => forgetClient(slice, appId));
    return slice;
  });
}

function forgetUser(slice: CredentialsSlice, userId: string): void {
  for (const byUser of [
    slice.factors,
    slice.recoveryPhones,
    slice.sessions,
    slice.rememberedDevices,
    slice.oauthTokens,
    slice.grants,
    slice.blocks,
  ]) {
    byUser.delete(userId);
  }
}

/** A deleted app's consents and tokens go with it. */
function forgetClient(slice: CredentialsSlice, appId: string): void {
  for (const [userId, grants] of slice.grants)
    slice.grants.set(
      userId,
      grants.filter((grant) => grant.clientId !== appId),
    );
  for (const [userId, tokens] of slice.oauthTokens)
    slice.oauthTokens.set(
      userId,
      tokens.filter((token) => token.clientId !== appId),
    );
}

// ---------------------------------------------------------------------------------------------------------
// Factors

/** The ids Okta gives each kind of factor start with a kind-specific prefix. */
const FACTOR_ID_PREFIX: Record<FactorType, string> = {
  push: 'opf',
  'token:software:totp': 'ost',
  signed_nonce: 'crp',
  sms: 'mbl',
  call: 'clf',
  email: 'emf',
  question: 'ufs',
  webauthn: 'fwf',
};

export interface NewFactor {
  factorType: FactorType;
  provider?: FactorRecord['provider'];
  profile: Record<string, unknown>;
  /** sms and call: the phone number is also the user's recovery phone. */
  recovery?: boolean;
}

export function enrollFactor(org: SandboxOrg, user: UserRecord, input: NewFactor): FactorRecord {
  const provider = input.provider ?? (input.factorType === 'webauthn' ? 'FIDO' : 'OKTA');
  const now = org.now();
  const factor: FactorRecord = {
    id: org.ids.id(provider === 'GOOGLE' ? 'uft' : FACTOR_ID_PREFIX[input.factorType]),
    userId: user.id,
    factorType: input.factorType,
    provider,
    vendorName: provider,
    status: 'ACTIVE',
    created: now,
    lastUpdated: now,
    profile: input.profile,
  };
  const slice = credentialsOf(org);
  slice.factors.set(user.id, [...(slice.factors.get(user.id) ?? []), factor]);
  if (input.recovery && typeof input.profile.phoneNumber === 'string')
    slice.recoveryPhones.set(user.id, input.profile.phoneNumber);
  org.changed();
  return factor;
}

function factorJson(org: SandboxOrg, factor: FactorRecord): Record<string, unknown> {
  const userPath = `/api/v1/users/${factor.userId}`;
  const factorPath = `${userPath}/factors/${factor.id}`;
  return {
    id: factor.id,
    factorType: factor.factorType,
    provider: factor.provider,
    vendorName: factor.vendorName,
    status: factor.status,
    created: factor.created,
    lastUpdated: factor.lastUpdated,
    profile: factor.profile,
    _links: {
      self: link(org, factorPath, ['GET', 'DELETE']),
      verify: link(org, `${factorPath}/verify`, ['POST']),
      // A security question factor links to the questions a user may choose from.
      ...(factor.factorType === 'question'
        ? { questions: link(org, `${userPath}/factors/questions`, ['GET']) }
        : {}),
      user: link(org, userPath, ['GET']),
    },
  };
}

/**
 * The factors that go when `factor` is unenrolled. Okta Verify's push, its TOTP and its FastPass
 * (signed_nonce) are one enrollment of the app: unenrolling push or signed_nonce removes all three.
 */
function factorsRemovedWith(factor: FactorRecord, all: readonly FactorRecord[]): FactorRecord[] {
  if (factor.factorType !== 'push' && factor.factorType !== 'signed_nonce') return [factor];
  const isOktaVerify = (f: FactorRecord) =>
    f.provider === 'OKTA' &&
    (f.factorType === 'push' || f.factorType === 'signed_nonce' || f.factorType === 'token:software:totp');
  return all.filter((f) => f.id === factor.id || isOktaVerify(f));
}

function removeFactors(org: SandboxOrg, user: UserRecord, removed: readonly FactorRecord[]): void {
  const slice = credentialsOf(org);
  const gone = new Set(removed.map((f) => f.id));
  slice.factors.set(
    user.id,
    (slice.factors.get(user.id) ?? []).filter((f) => !gone.has(f.id)),
  );
  org.changed();
}

const listFactors: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  return ok((credentialsOf(org).factors.get(user.id) ?? []).map((f) => factorJson(org, f)));
};

const unenrollFactor: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  const factorId = context.params.factorId!;
  const enrolled = credentialsOf(org).factors.get(user.id) ?? [];
  const factor = enrolled.find((f) => f.id === factorId);
  if (!factor) throw notFound(factorId, 'UserFactor');
  // Okta: a deactivated user's factors cannot be unenrolled.
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus();

  const removed = factorsRemovedWith(factor, enrolled);
  removeFactors(org, user, removed);
  // The phone of an sms or call factor stays a recovery method unless the admin asks to remove it too.
  const isPhone = factor.factorType === 'sms' || factor.factorType === 'call';
  const slice = credentialsOf(org);
  if (
    isPhone &&
    flag(context, 'removeRecoveryEnrollment', false) &&
    slice.recoveryPhones.get(user.id) === factor.profile.phoneNumber
  ) {
    slice.recoveryPhones.delete(user.id);
  }
  for (const gone of removed) {
    org.log.record('user.mfa.factor.deactivate', 'Reset factor for user', [
      userTarget(user),
      { id: gone.id, type: 'Factor', displayName: gone.factorType },
    ]);
  }
  return noContent();
};

/** POST .../lifecycle/reset_factors (users.ts checks the status and writes the log event). */
function resetAllFactors(org: SandboxOrg, user: UserRecord): void {
  removeFactors(org, user, credentialsOf(org).factors.get(user.id) ?? []);
}

// ---------------------------------------------------------------------------------------------------------
// Sessions and OAuth tokens

export function startSession(org: SandboxOrg, user: UserRecord, hours = 2): SessionRecord {
  const now = Date.now();
  const session: SessionRecord = {
    id: org.ids.id('102', 25),
    userId: user.id,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + hours * 3_600_000).toISOString(),
  };
  const slice = credentialsOf(org);
  slice.sessions.set(user.id, [...(slice.sessions.get(user.id) ?? []), session]);
  org.changed();
  return session;
}

export function issueOAuthToken(
  org: SandboxOrg,
  user: UserRecord,
  clientId: string,
  kind: OAuthTokenRecord['kind'],
): OAuthTokenRecord {
  const token: OAuthTokenRecord = {
    id: org.ids.id(kind === 'refresh_token' ? 'oar' : 'oat'),
    userId: user.id,
    clientId,
    kind,
  };
  const slice = credentialsOf(org);
  slice.oauthTokens.set(user.id, [...(slice.oauthTokens.get(user.id) ?? []), token]);
  org.changed();
  return token;
}

/** Ends every Okta session of the user; true when there was one to end. */
function clearSessions(org: SandboxOrg, user: UserRecord): boolean {
  const slice = credentialsOf(org);
  const had = (slice.sessions.get(user.id) ?? []).length > 0;
  slice.sessions.delete(user.id);
  org.changed();
  return had;
}

/** Where the sandbox's authorization server (oauth/) hears that a user's OAuth tokens were revoked. */
export const credentialsHooks = {
  oauthTokensRevoked: [] as Array<(org: SandboxOrg, userId: string) => void>,
};

function revokeOAuthTokens(org: SandboxOrg, user: UserRecord): void {
  for (const listener of credentialsHooks.oauthTokensRevoked) listener(org, user.id);
  const slice = credentialsOf(org);
  for (const token of slice.oauthTokens.get(user.id) ?? []) {
    org.log.record('app.oauth2.as.token.revoke.implicit.user', 'OAuth2 token revocation request', [
      userTarget(user),
      {
        id: token.id,
        type: token.kind,
        displayName: token.kind === 'refresh_token' ? 'Refresh Token' : 'Access Token',
      },
    ]);
  }
  slice.oauthTokens.delete(user.id);
  org.changed();
}

/**
 * DELETE /api/v1/users/{userId}/sessions. Okta answers 204 whether or not the user had a session. OAuth
 * tokens are revoked only on request (`oauthTokens`), while remembered MFA devices are forgotten unless the
 * caller says not to (`forgetDevices` defaults to true in Identity Engine). Consent grants stay.
 */
const revokeUserSessions: RouteHandler = (context: RouteContext) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  clearSessions(org, user);
  org.log.record('user.session.clear', 'Clear user session', [userTarget(user)]);
  if (flag(context, 'oauthTokens', false)) revokeOAuthTokens(org, user);
  if (flag(context, 'forgetDevices', true)) credentialsOf(org).rememberedDevices.delete(user.id);
  return noContent();
};

/** Deactivation, suspension and a password reset with revokeSessions end the user's sessions. */
function endSessionsOnLifecycle(org: SandboxOrg, user: UserRecord): void {
  if (clearSessions(org, user))
    org.log.record('user.session.clear', 'Clear user session', [userTarget(user)]);
}

// ---------------------------------------------------------------------------------------------------------
// Grants

/** An OAuth client (an OIDC app) a user consented to. */
export interface OAuthClient {
  id: string;
  name: string;
}

export interface NewGrant {
  client: OAuthClient;
  scopeName: string;
  authorizationServerId: string;
  source?: GrantRecord['source'];
}

/** Okta gives each scope of an authorization server its own id, shared by every grant of that scope. */
function scopeIdOf(org: SandboxOrg, authorizationServerId: string, scopeName: string): string {
  const scopes = credentialsOf(org).scopeIds;
  const key = `${authorizationServerId}/${scopeName}`;
  let id = scopes.get(key);
  if (id === undefined) {
    id = org.ids.id('scp');
    scopes.set(key, id);
  }
  return id;
}

export function grantConsent(org: SandboxOrg, user: UserRecord, input: NewGrant): GrantRecord {
  const slice = credentialsOf(org);
  const now = org.now();
  const grant: GrantRecord = {
    id: org.ids.id('oag'),
    seq: slice.nextGrantSeq++,
    userId: user.id,
    clientId: input.client.id,
    clientName: input.client.name,
    scopeId: scopeIdOf(org, input.authorizationServerId, input.scopeName),
    scopeName: input.scopeName,
    authorizationServerId: input.authorizationServerId,
    source: input.source ?? 'END_USER',
    created: now,
    lastUpdated: now,
    createdBy: { id: user.id, type: 'User' },
  };
  slice.grants.set(user.id, [...(slice.grants.get(user.id) ?? []), grant]);
  org.changed();
  return grant;
}

function grantJson(org: SandboxOrg, grant: GrantRecord, expandScope: boolean): Record<string, unknown> {
  const serverPath = `/api/v1/authorizationServers/${grant.authorizationServerId}`;
  return {
    id: grant.id,
    status: 'ACTIVE',
    created: grant.created,
    lastUpdated: grant.lastUpdated,
    createdBy: grant.createdBy,
    issuer: `${org.baseUrl}/oauth2/${grant.authorizationServerId}`,
    clientId: grant.clientId,
    userId: grant.userId,
    scopeId: grant.scopeId,
    source: grant.source,
    ...(expandScope ? { _embedded: { scope: { id: grant.scopeId, name: grant.scopeName } } } : {}),
    _links: {
      self: link(org, `/api/v1/users/${grant.userId}/grants/${grant.id}`, ['GET', 'DELETE']),
      app: { href: `${org.baseUrl}/api/v1/apps/${grant.clientId}`, title: grant.clientName },
      client: { href: `${org.baseUrl}/oauth2/v1/clients/${grant.clientId}`, title: grant.clientName },
      scope: { href: `${org.baseUrl}${serverPath}/scopes/${grant.scopeId}`, title: grant.scopeName },
      user: { href: `${org.baseUrl}/api/v1/users/${grant.userId}` },
      authorizationServer: { href: `${org.baseUrl}${serverPath}` },
    },
  };
}

const GRANT_PAGE = { defaultLimit: 20, maxLimit: 200 };

const listUserGrants: RouteHandler = (context) => {
  const { org, query } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  const scopeId = query.get('scopeId');
  // Okta knows one expansion here; anything else is ignored rather than refused.
  const expandScope = query.get('expand') === 'scope';
  const grants = (credentialsOf(org).grants.get(user.id) ?? []).filter(
    (grant) => scopeId === null || grant.scopeId === scopeId,
  );
  const keyOf = (grant: GrantRecord): SortKey => [grant.seq];
  return listPage(context, grants, keyOf, GRANT_PAGE, (grant) => grantJson(org, grant, expandScope));
};

const revokeUserGrants: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  const slice = credentialsOf(org);
  for (const grant of slice.grants.get(user.id) ?? []) {
    org.log.record('app.oauth2.as.consent.revoke', 'Revoke consent', [
      userTarget(user),
      { id: grant.id, type: 'Grant', displayName: `${grant.clientName}: ${grant.scopeName}` },
    ]);
  }
  slice.grants.delete(user.id);
  org.changed();
  return noContent();
};

// ---------------------------------------------------------------------------------------------------------
// Blocks

export function blockUser(org: SandboxOrg, user: UserRecord, block: UserBlockRecord): void {
  const slice = credentialsOf(org);
  slice.blocks.set(user.id, [...(slice.blocks.get(user.id) ?? []), block]);
  org.changed();
}

/** Unlocking a user lifts every block (users.ts checks the status and writes the log event). */
function clearBlocks(org: SandboxOrg, user: UserRecord): void {
  const slice = credentialsOf(org);
  if (!slice.blocks.has(user.id)) return;
  slice.blocks.delete(user.id);
  org.changed();
}

const listUserBlocks: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.id!, context.principal.userId);
  return ok((credentialsOf(org).blocks.get(user.id) ?? []).map((block) => ({ ...block })));
};

// ---------------------------------------------------------------------------------------------------------
// Wiring

userHooks.endSessions = endSessionsOnLifecycle;
userHooks.resetFactors = resetAllFactors;
userHooks.hasFactors = (org, user) => (credentialsOf(org).factors.get(user.id) ?? []).length > 0;
userHooks.clearBlocks = clearBlocks;

export const credentialsRoutes: Record<string, RouteHandler> = {
  listFactors,
  unenrollFactor,
  revokeUserSessions,
  listUserGrants,
  revokeUserGrants,
  listUserBlocks,
};

// ---------------------------------------------------------------------------------------------------------
// Seed

const DEFAULT_AUTHORIZATION_SERVER = 'aus5sandboxDefault01';

/** The apps module's OIDC app of that name, so grants link to a real app; a stand-in if there is none. */
function oidcClientNamed(org: SandboxOrg, label: string): OAuthClient {
  const app = [...appsOf(org).byId.values()].find((a) => a.kind === 'oidc' && a.label === label);
  return app ? { id: app.id, name: app.label } : { id: org.ids.id('0oa'), name: label };
}

/** A phone number in the range set aside for fiction (555-01xx). */
function fictionalPhone(index: number): string {
  return `+1 415-555-01${String(10 + index).padStart(2, '0')}`;
}

interface Phone {
  name: string;
  platform: 'IOS' | 'ANDROID';
}

function enrollOktaVerify(org: SandboxOrg, user: UserRecord, phone: Phone, withFastPass: boolean): void {
  const login = user.profile.login;
  const device = {
    deviceType: phone.platform === 'IOS' ? 'SmartPhone_IPhone' : 'SmartPhone_Android',
    name: phone.name,
    platform: phone.platform,
    version: phone.platform === 'IOS' ? '17.4.1' : '14',
  };
  enrollFactor(org, user, { factorType: 'push', profile: { credentialId: login, ...device } });
  enrollFactor(org, user, { factorType: 'token:software:totp', profile: { credentialId: login } });
  if (withFastPass) enrollFactor(org, user, { factorType: 'signed_nonce', profile: device });
}

function enrollWebAuthn(org: SandboxOrg, user: UserRecord, authenticatorName: string): void {
  enrollFactor(org, user, {
    factorType: 'webauthn',
    profile: { credentialId: org.ids.id('', 43), authenticatorName },
  });
}

function consentTo(org: SandboxOrg, user: UserRecord, client: OAuthClient, scopeNames: string[]): void {
  for (const scopeName of scopeNames)
    grantConsent(org, user, { client, scopeName, authorizationServerId: DEFAULT_AUTHORIZATION_SERVER });
}

/**
 * Realistic enrollments for the active base users (the suspended and the staged user have none); sessions
 * for Jane (two, and a remembered laptop), Mei and Lukas; consent to the OIDC Expense Portal, with tokens,
 * for the people assigned to it (Lukas in Finance, the admin); a device-based block on Amara.
 */
export function seedCredentials(org: SandboxOrg, base: SeededOrg): void {
  const person = (login: string) => base.people[login];
  const expensePortal = oidcClientNamed(org, 'Expense Portal');
  const { admin } = base;
  enrollOktaVerify(org, admin, { name: "Admin's iPhone", platform: 'IOS' }, true);
  enrollWebAuthn(org, admin, 'YubiKey 5 NFC');
  consentTo(org, admin, expensePortal, ['openid']);

  const jane = person('jane.doe@example.com');
  if (jane) {
    enrollOktaVerify(org, jane, { name: "Jane's iPhone", platform: 'IOS' }, true);
    enrollFactor(org, jane, {
      factorType: 'sms',
      profile: { phoneNumber: fictionalPhone(1) },
      recovery: true,
    });
    startSession(org, jane);
    startSession(org, jane, 12);
    credentialsOf(org).rememberedDevices.set(jane.id, ["Jane's MacBook Pro"]);
  }
  const omar = person('omar.haddad@example.com');
  if (omar) {
    enrollFactor(org, omar, {
      factorType: 'token:software:totp',
      provider: 'GOOGLE',
      profile: { credentialId: omar.profile.login },
    });
    enrollWebAuthn(org, omar, 'MacBook Pro Touch ID');
  }
  const mei = person('mei.chen@example.com');
  if (mei) {
    enrollFactor(org, mei, {
      factorType: 'sms',
      profile: { phoneNumber: fictionalPhone(2) },
      recovery: true,
    });
    enrollFactor(org, mei, { factorType: 'email', profile: { email: mei.profile.login } });
    startSession(org, mei);
  }
  const lukas = person('lukas.weber@example.com');
  if (lukas) {
    enrollOktaVerify(org, lukas, { name: "Lukas's Pixel 8", platform: 'ANDROID' }, false);
    enrollFactor(org, lukas, {
      factorType: 'question',
      profile: { question: 'favorite_art_piece', questionText: 'What is your favorite piece of art?' },
    });
    startSession(org, lukas);
    consentTo(org, lukas, expensePortal, ['openid', 'profile', 'email', 'offline_access']);
    issueOAuthToken(org, lukas, expensePortal.id, 'refresh_token');
    issueOAuthToken(org, lukas, expensePortal.id, 'access_token');
  }
  const amara = person('amara.okafor@example.com');
  if (amara) {
    enrollFactor(org, amara, {
      factorType: 'call',
      profile: { phoneNumber: fictionalPhone(3) },
      recovery: true,
    });
    blockUser(org, amara, { type: 'DEVICE_BASED', appliesTo: 'UNKNOWN_DEVICES' });
  }
}
