/**
 * What a user signs in with and what signing in leaves behind: enrolled MFA factors, Okta sessions, OAuth
 * tokens issued to apps, OAuth consent grants, remembered MFA devices and device-based sign-in blocks. The
 * user lifecycle (users/routes.ts) ends sessions, resets factors and lifts blocks through `userHooks`.
 */
import type { SandboxOrg } from '../../org.js';
import { type UserRecord, userHooks, userTarget } from '../users/model.js';

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
  /** Failed sign-ins in a row, per user, towards the lockout (sign-in.ts); unlocking starts again. */
  failedSignIns: Map<string, number>;
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
      failedSignIns: new Map(),
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
    slice.failedSignIns,
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

/**
 * The factors that go when `factor` is unenrolled. Okta Verify's push, its TOTP and its FastPass
 * (signed_nonce) are one enrollment of the app: unenrolling push or signed_nonce removes all three.
 */
export function factorsRemovedWith(factor: FactorRecord, all: readonly FactorRecord[]): FactorRecord[] {
  if (factor.factorType !== 'push' && factor.factorType !== 'signed_nonce') return [factor];
  const isOktaVerify = (f: FactorRecord) =>
    f.provider === 'OKTA' &&
    (f.factorType === 'push' || f.factorType === 'signed_nonce' || f.factorType === 'token:software:totp');
  return all.filter((f) => f.id === factor.id || isOktaVerify(f));
}

export function removeFactors(org: SandboxOrg, user: UserRecord, removed: readonly FactorRecord[]): void {
  const slice = credentialsOf(org);
  const gone = new Set(removed.map((f) => f.id));
  slice.factors.set(
    user.id,
    (slice.factors.get(user.id) ?? []).filter((f) => !gone.has(f.id)),
  );
  org.changed();
}

/** POST .../lifecycle/reset_factors (users/routes.ts checks the status and writes the log event). */
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
export function clearSessions(org: SandboxOrg, user: UserRecord): boolean {
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

export function revokeOAuthTokens(org: SandboxOrg, user: UserRecord): void {
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

// ---------------------------------------------------------------------------------------------------------
// Blocks

export function blockUser(org: SandboxOrg, user: UserRecord, block: UserBlockRecord): void {
  const slice = credentialsOf(org);
  slice.blocks.set(user.id, [...(slice.blocks.get(user.id) ?? []), block]);
  org.changed();
}

/**
 * Unlocking a user lifts every block and starts the count of failed sign-ins again (users/routes.ts checks
 * the status and writes the log event).
 */
function clearBlocks(org: SandboxOrg, user: UserRecord): void {
  const slice = credentialsOf(org);
  slice.failedSignIns.delete(user.id);
  if (!slice.blocks.has(user.id)) return;
  slice.blocks.delete(user.id);
  org.changed();
}

// ---------------------------------------------------------------------------------------------------------
// Wiring

userHooks.endSessions = endSessionsOnLifecycle;
userHooks.resetFactors = resetAllFactors;
userHooks.hasFactors = (org, user) => (credentialsOf(org).factors.get(user.id) ?? []).length > 0;
userHooks.clearBlocks = clearBlocks;
