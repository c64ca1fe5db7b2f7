/**
 * The org's security objects: network zones (the system IP zones, the blocklist zone the block-IP actions
 * edit, the default enhanced dynamic zone), API token metadata with revocation, and identity providers.
 *
 * API token secrets live only here and in the server's token table: no answer carries one. index.ts tells
 * this module which secrets the server accepts (`registerApiToken`) and how to stop accepting a revoked one
 * (`onApiTokenRevoked`).
 */
import { notFound } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { userHooks } from '../users/model.js';

export type ZoneType = 'IP' | 'DYNAMIC' | 'DYNAMIC_V2';
export type ZoneUsage = 'POLICY' | 'BLOCKLIST';
type LifecycleStatus = 'ACTIVE' | 'INACTIVE';

export interface ZoneAddress {
  type: 'CIDR' | 'RANGE';
  value: string;
}

export interface IncludeExclude<T> {
  include: T[];
  exclude: T[];
}

export interface ZoneRecord {
  id: string;
  /** Creation order, the list order. */
  seq: number;
  type: ZoneType;
  name: string;
  status: LifecycleStatus;
  usage: ZoneUsage;
  system: boolean;
  created: string;
  lastUpdated: string;
  /** IP zones. Okta answers null, not [], for a list never set. */
  gateways: ZoneAddress[] | null;
  proxies: ZoneAddress[] | null;
  /** Dynamic zones: what they match, as sent (locations, asns, ipServiceCategories, proxyType). */
  dynamic: Record<string, unknown>;
}

export interface ApiTokenRecord {
  id: string;
  seq: number;
  name: string;
  userId: string;
  clientName: string;
  created: string;
  lastUpdated: string;
  expiresAt: string;
  /** The token itself: never answered. */
  secret: string;
}

export interface IdentityProviderRecord {
  id: string;
  seq: number;
  type: string;
  name: string;
  status: LifecycleStatus;
  created: string;
  lastUpdated: string;
  protocol: Record<string, unknown> & { type: 'OIDC' | 'OAUTH2' | 'SAML2' };
  policy: Record<string, unknown>;
}

interface SecuritySlice {
  zones: Map<string, ZoneRecord>;
  apiTokens: Map<string, ApiTokenRecord>;
  revocationListeners: Array<(secret: string) => void>;
  idps: Map<string, IdentityProviderRecord>;
  nextSeq: number;
}

export function securityOf(org: SandboxOrg): SecuritySlice {
  return org.slice('security', (o) => {
    const slice: SecuritySlice = {
      zones: new Map(),
      apiTokens: new Map(),
      revocationListeners: [],
      idps: new Map(),
      nextSeq: 0,
    };
    // Okta revokes the API tokens of a user who no longer exists.
    o.onDelete('user', (userId) => revokeTokensOf(o, slice, userId));
    return slice;
  });
}

function revokeTokensOf(org: SandboxOrg, slice: SecuritySlice, userId: string): void {
  for (const token of [...slice.apiTokens.values()])
    if (token.userId === userId) revokeToken(org, slice, token);
}

// An API token dies with its admin: deactivating the admin who created it revokes it.
userHooks.deactivated.push((org, user) => revokeTokensOf(org, securityOf(org), user.id));

// ---------------------------------------------------------------------------------------------------------
// Network zones

interface NewZone {
  type: ZoneType;
  name: string;
  usage: ZoneUsage;
  system: boolean;
  status?: LifecycleStatus;
  gateways?: ZoneAddress[] | null;
  proxies?: ZoneAddress[] | null;
  dynamic?: Record<string, unknown>;
}

export function insertZone(org: SandboxOrg, input: NewZone): ZoneRecord {
  const slice = securityOf(org);
  const now = org.now();
  const zone: ZoneRecord = {
    id: org.ids.id('nzo'),
    seq: slice.nextSeq++,
    type: input.type,
    name: input.name,
    status: input.status ?? 'ACTIVE',
    usage: input.usage,
    system: input.system,
    created: now,
    lastUpdated: now,
    gateways: input.gateways ?? null,
    proxies: input.proxies ?? null,
    dynamic: input.dynamic ?? {},
  };
  slice.zones.set(zone.id, zone);
  org.changed();
  return zone;
}

export function requireZone(org: SandboxOrg, zoneId: string): ZoneRecord {
  const zone = securityOf(org).zones.get(zoneId);
  if (!zone) throw notFound(zoneId, 'NetworkZone');
  return zone;
}

export function zoneTarget(zone: ZoneRecord) {
  return { id: zone.id, type: 'NetworkZone', alternateId: zone.name, displayName: zone.name };
}

// ---------------------------------------------------------------------------------------------------------
// API tokens

/** Okta's default token window: a token unused for 30 days expires. */
const TOKEN_WINDOW_MS = 30 * 24 * 3_600_000;

/**
 * Records a token the server accepts (index.ts calls this for the admin token and every added one), so it
 * is listed and can be revoked. The same secret registered twice is one token.
 */
export function registerApiToken(
  org: SandboxOrg,
  secret: string,
  owner: { userId: string; name?: string },
): ApiTokenRecord {
  const slice = securityOf(org);
  const existing = [...slice.apiTokens.values()].find((token) => token.secret === secret);
  if (existing) return existing;
  const now = new Date();
  const token: ApiTokenRecord = {
    id: org.ids.id('00T'),
    seq: slice.nextSeq++,
    name: owner.name ?? 'Sandbox API token',
    userId: owner.userId,
    clientName: 'Okta API',
    created: now.toISOString(),
    lastUpdated: now.toISOString(),
    expiresAt: new Date(now.getTime() + TOKEN_WINDOW_MS).toISOString(),
    secret,
  };
  slice.apiTokens.set(token.id, token);
  org.changed();
  return token;
}

/** What the server does when a token is revoked: stop accepting its secret (401 E0000011 from then on). */
export function onApiTokenRevoked(org: SandboxOrg, stopAccepting: (secret: string) => void): void {
  securityOf(org).revocationListeners.push(stopAccepting);
}

export function revokeToken(org: SandboxOrg, slice: SecuritySlice, token: ApiTokenRecord): void {
  slice.apiTokens.delete(token.id);
  org.changed();
  for (const stopAccepting of slice.revocationListeners) stopAccepting(token.secret);
  org.log.record('system.api_token.revoke', 'Revoke API token', [
    { id: token.id, type: 'Token', alternateId: token.name, displayName: token.name },
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Identity providers

interface NewIdentityProvider {
  type: string;
  name: string;
  status?: LifecycleStatus;
  protocol: IdentityProviderRecord['protocol'];
  policy: Record<string, unknown>;
}

export function insertIdentityProvider(org: SandboxOrg, input: NewIdentityProvider): IdentityProviderRecord {
  const slice = securityOf(org);
  const now = org.now();
  const idp: IdentityProviderRecord = {
    id: org.ids.id('0oa'),
    seq: slice.nextSeq++,
    type: input.type,
    name: input.name,
    status: input.status ?? 'ACTIVE',
    created: now,
    lastUpdated: now,
    protocol: input.protocol,
    policy: input.policy,
  };
  slice.idps.set(idp.id, idp);
  org.changed();
  return idp;
}
