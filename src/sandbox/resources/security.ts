/**
 * The org's security objects: network zones (the system IP zones, the blocklist zone the block-IP actions
 * edit, the default enhanced dynamic zone), API token metadata with revocation, and identity providers.
 *
 * API token secrets live only here and in the server's token table: no answer carries one. index.ts tells
 * this module which secrets the server accepts (`registerApiToken`) and how to stop accepting a revoked one
 * (`onApiTokenRevoked`).
 */
import { isIP } from 'node:net';
import { alreadyExists, notFound, validationFailed } from '../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../expressions.js';
import type { SandboxOrg } from '../org.js';
import type { SortKey } from '../paging.js';
import { link, listPage, noContent, ok, type RouteContext, type RouteHandler } from '../route.js';
import type { SeededOrg } from '../seed.js';
import { userHooks } from './users/model.js';

// ---------------------------------------------------------------------------------------------------------
// State

type ZoneType = 'IP' | 'DYNAMIC' | 'DYNAMIC_V2';
type ZoneUsage = 'POLICY' | 'BLOCKLIST';
type LifecycleStatus = 'ACTIVE' | 'INACTIVE';

export interface ZoneAddress {
  type: 'CIDR' | 'RANGE';
  value: string;
}

interface IncludeExclude<T> {
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

/** IP entries Okta allows in one zone (gateways and proxies together), and in all IP zones of the org. */
const MAX_SYSTEM_ZONE_ENTRIES = 5000;
const MAX_BLOCKLIST_ZONE_ENTRIES = 1000;
const MAX_CUSTOM_ZONE_ENTRIES = 150;
const MAX_ORG_IP_ENTRIES = 25_000;

const IP_SERVICE_CATEGORIES = new Set(
  (
    'ABCPROXY_PROXY ALL_ANONYMIZERS ALL_ANONYMIZERS_EXCEPT_TOR ALL_IP_SERVICES ALL_PROXIES_VPNS ' +
    'ANONYMIZER_TOR APPLE_ICLOUD_RELAY_PROXY ASTRILL_VPN AVAST_VPN BIGMAMA_PROXY CYBERGHOST_VPN ' +
    'DATAIMPULSE_PROXY EXPRESS_VPN FACELESS_PROXY FROXY_PROXY GEONODE_PROXY GLOBALPROTECT_VPN GOOGLE_VPN ' +
    'IPCOLA_PROXY IPIDEA_PROXY IPROXYSHOP_PROXY LUMINATI_PROXY MULLVAD_VPN NETNUT_PROXY NEXUS_PROXY ' +
    'NORD_VPN OCULUS_PROXY OXYLABS_PROXY PIA_VPN PROXYRACK_PROXY SAMSUNG_VPN SPACEPROXIES_PROXY ' +
    'SURFSHARK_VPN SYMANTEC_VPN TRENDMICRO_VPN ULTRASURF_VPN WARP_VPN YILU_PROXY'
  ).split(' '),
);

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

function requireZone(org: SandboxOrg, zoneId: string): ZoneRecord {
  const zone = securityOf(org).zones.get(zoneId);
  if (!zone) throw notFound(zoneId, 'NetworkZone');
  return zone;
}

function zoneTarget(zone: ZoneRecord) {
  return { id: zone.id, type: 'NetworkZone', alternateId: zone.name, displayName: zone.name };
}

function zoneJson(org: SandboxOrg, zone: ZoneRecord): Record<string, unknown> {
  const path = `/api/v1/zones/${zone.id}`;
  const typeSpecific =
    zone.type === 'IP' ? { gateways: zone.gateways, proxies: zone.proxies } : { ...zone.dynamic };
  return {
    type: zone.type,
    id: zone.id,
    name: zone.name,
    status: zone.status,
    usage: zone.usage,
    created: zone.created,
    lastUpdated: zone.lastUpdated,
    system: zone.system,
    ...typeSpecific,
    _links: {
      self: link(org, path, ['GET', 'PUT', 'DELETE']),
      ...(zone.status === 'ACTIVE'
        ? { deactivate: link(org, `${path}/lifecycle/deactivate`, ['POST']) }
        : { activate: link(org, `${path}/lifecycle/activate`, ['POST']) }),
    },
  };
}

const eqOnly = new Set<Operator>(['eq']);
/** Okta filters zones on id, usage and system only, with eq, joined by and/or. */
const ZONE_FILTER: ExpressionRules = {
  name: 'filter',
  operators: eqOnly,
  attributes: { id: eqOnly, usage: eqOnly, system: eqOnly },
  caseInsensitive: false,
};

/** Okta's zone list is unpaged by default: `limit` defaults to -1, meaning every zone. */
const ZONE_PAGE = { defaultLimit: Number.MAX_SAFE_INTEGER, maxLimit: Number.MAX_SAFE_INTEGER };

const listNetworkZones: RouteHandler = (context) => {
  const { org, query } = context;
  const filter = query.get('filter');
  const expression = filter !== null ? parseExpression(filter, ZONE_FILTER) : undefined;
  const zones = [...securityOf(org).zones.values()]
    .filter((zone) => !expression || evaluate(expression, zone, false))
    .sort((a, b) => a.seq - b.seq);
  const keyOf = (zone: ZoneRecord): SortKey => [zone.seq];
  return listPage(withoutUnlimitedLimit(context), zones, keyOf, ZONE_PAGE, (zone) => zoneJson(org, zone));
};

/** `limit=-1` asks for everything, which is what no limit at all gives. */
function withoutUnlimitedLimit(context: RouteContext): RouteContext {
  if (context.query.get('limit') !== '-1') return context;
  const url = new URL(context.url.href);
  url.searchParams.delete('limit');
  return { ...context, url, query: url.searchParams };
}

const getNetworkZone: RouteHandler = (context) =>
  ok(zoneJson(context.org, requireZone(context.org, context.params.zoneId!)));

interface ZoneBody {
  type: ZoneType;
  name: string;
  usage?: ZoneUsage;
  gateways?: unknown;
  proxies?: unknown;
  [key: string]: unknown;
}

/**
 * PUT replaces the zone's definition. The type cannot change; system zones keep their usage; the
 * DefaultEnhancedDynamicZone cannot be renamed nor given locations or ASNs. Status is ignored here (it has
 * its own lifecycle operations), as are the read-only id, system, created and lastUpdated.
 */
const replaceNetworkZone: RouteHandler = (context) => {
  const { org } = context;
  const zone = requireZone(org, context.params.zoneId!);
  const body = context.body as ZoneBody;
  if (body.type !== zone.type) {
    throw validationFailed('type', [
      `type: A network zone's type cannot be changed (this zone is ${zone.type}).`,
    ]);
  }
  const usage = body.usage ?? zone.usage;
  checkZoneName(org, zone, body.name);
  if (zone.system && usage !== zone.usage) {
    throw validationFailed('usage', [`usage: The usage of the system zone ${zone.name} cannot be changed.`]);
  }
  const changes = zone.type === 'IP' ? ipZoneChanges(org, zone, body, usage) : dynamicZoneChanges(zone, body);

  const previousUsage = zone.usage;
  Object.assign(zone, changes, { name: body.name, usage, lastUpdated: org.now() });
  org.changed();
  org.log.record('zone.update', 'Update network zone', [zoneTarget(zone)]);
  if (previousUsage !== usage) {
    org.log.record(
      usage === 'BLOCKLIST' ? 'zone.make_blacklist' : 'zone.remove_blacklist',
      usage === 'BLOCKLIST' ? 'Network zone made a blocklist' : 'Network zone no longer a blocklist',
      [zoneTarget(zone)],
    );
  }
  return ok(zoneJson(org, zone));
};

function checkZoneName(org: SandboxOrg, zone: ZoneRecord, name: string): void {
  if (name.trim() === '') throw validationFailed('name', ['name: The field cannot be left blank']);
  if (zone.name === 'DefaultEnhancedDynamicZone' && zone.system && name !== zone.name) {
    throw validationFailed('name', ['name: The DefaultEnhancedDynamicZone cannot be renamed.']);
  }
  for (const other of securityOf(org).zones.values())
    if (other.id !== zone.id && other.name === name) throw alreadyExists('name');
}

// IP zones ------------------------------------------------------------------------------------------------

function ipZoneChanges(
  org: SandboxOrg,
  zone: ZoneRecord,
  body: ZoneBody,
  usage: ZoneUsage,
): Pick<ZoneRecord, 'gateways' | 'proxies'> {
  const causes: string[] = [];
  const gateways = addressList(body.gateways, 'gateways', causes);
  const proxies = addressList(body.proxies, 'proxies', causes);
  if (causes.length > 0) throw validationFailed('gateways, proxies', causes);

  const entries = (gateways?.length ?? 0) + (proxies?.length ?? 0);
  if (usage === 'BLOCKLIST' && (proxies?.length ?? 0) > 0) {
    throw validationFailed('proxies', [
      'proxies: Proxies cannot be set for a zone whose usage is BLOCKLIST.',
    ]);
  }
  // Okta's default system zones may stay empty; a zone an admin made needs a gateway or a proxy.
  if (!zone.system && entries === 0) {
    throw validationFailed('gateways', ['gateways: An IP zone needs at least one gateway or proxy.']);
  }
  const cap = zone.system
    ? MAX_SYSTEM_ZONE_ENTRIES
    : usage === 'BLOCKLIST'
      ? MAX_BLOCKLIST_ZONE_ENTRIES
      : MAX_CUSTOM_ZONE_ENTRIES;
  if (entries > cap) {
    throw validationFailed('gateways', [
      `gateways: This zone can hold at most ${cap} gateway and proxy entries; the request has ${entries}.`,
    ]);
  }
  const elsewhere = [...securityOf(org).zones.values()]
    .filter((other) => other.type === 'IP' && other.id !== zone.id)
    .reduce((sum, other) => sum + (other.gateways?.length ?? 0) + (other.proxies?.length ?? 0), 0);
  if (elsewhere + entries > MAX_ORG_IP_ENTRIES) {
    throw validationFailed('gateways', [
      `gateways: The org's IP zones can hold at most ${MAX_ORG_IP_ENTRIES} entries in all.`,
    ]);
  }
  return { gateways, proxies };
}

/** A gateways or proxies list as sent: absent or null stays null; each entry must be a valid address. */
function addressList(raw: unknown, field: string, causes: string[]): ZoneAddress[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) {
    causes.push(`${field}: must be a list of { type, value } addresses`);
    return null;
  }
  const addresses: ZoneAddress[] = [];
  raw.forEach((entry: unknown, index) => {
    const problem = addressProblem(entry);
    if (problem) causes.push(`${field}[${index}]: ${problem}`);
    else addresses.push({ ...(entry as ZoneAddress) });
  });
  return addresses;
}

/**
 * Okta's address forms: CIDR is `address/prefix` (IPv4 prefix 0-32, IPv6 0-128); RANGE is a single address
 * or `first-last` with both addresses of one family and first <= last.
 */
function addressProblem(entry: unknown): string | undefined {
  const { type, value } = (entry ?? {}) as { type?: unknown; value?: unknown };
  if (typeof value !== 'string' || value.trim() === '') return 'value: The field cannot be left blank';
  if (type === 'CIDR') return cidrProblem(value.trim());
  if (type === 'RANGE') return rangeProblem(value.trim());
  return `type: must be CIDR or RANGE, not ${JSON.stringify(type)}`;
}

function cidrProblem(value: string): string | undefined {
  const [address = '', prefix, extra] = value.split('/');
  const family = isIP(address);
  const bits = Number(prefix);
  const valid =
    extra === undefined &&
    family !== 0 &&
    prefix !== undefined &&
    /^\d{1,3}$/.test(prefix) &&
    bits <= (family === 4 ? 32 : 128);
  return valid ? undefined : `"${value}" is not a valid CIDR block (expected address/prefix)`;
}

function rangeProblem(value: string): string | undefined {
  const parts = value.split('-').map((part) => part.trim());
  const invalid = `"${value}" is not a valid IP address or range (expected first-last)`;
  if (parts.length > 2 || parts.some((part) => isIP(part) === 0)) return invalid;
  const [first = '', last = first] = parts;
  if (isIP(first) !== isIP(last)) return `"${value}" mixes IPv4 and IPv6 addresses`;
  if (addressValue(first) > addressValue(last)) return `"${value}" starts after it ends`;
  return undefined;
}

/** An address as a number, to compare the two ends of a range. */
function addressValue(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((sum, octet) => (sum << 8n) + BigInt(octet), 0n);
  return ipv6Groups(address).reduce((sum, group) => (sum << 16n) + BigInt(group), 0n);
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted IPv4 part converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1]!.split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

// Dynamic zones -------------------------------------------------------------------------------------------

function dynamicZoneChanges(zone: ZoneRecord, body: ZoneBody): Pick<ZoneRecord, 'dynamic'> {
  const { type, id, name, status, usage, system, created, lastUpdated, _links, ...dynamic } = body;
  if (zone.type === 'DYNAMIC_V2') checkEnhancedDynamicZone(zone, dynamic);
  return { dynamic };
}

function checkEnhancedDynamicZone(zone: ZoneRecord, dynamic: Record<string, unknown>): void {
  const causes: string[] = [];
  const categories = dynamic.ipServiceCategories as Partial<IncludeExclude<unknown>> | undefined;
  for (const side of ['include', 'exclude'] as const) {
    for (const category of categories?.[side] ?? []) {
      if (typeof category !== 'string' || !IP_SERVICE_CATEGORIES.has(category))
        causes.push(`ipServiceCategories.${side}: ${JSON.stringify(category)} is not an IP service category`);
    }
  }
  if (zone.system) {
    // The default enhanced dynamic zone blocks anonymizers; Okta does not let it grow locations or ASNs.
    for (const list of ['locations', 'asns'] as const) {
      const sent = dynamic[list] as Partial<IncludeExclude<unknown>> | null | undefined;
      if ((sent?.include?.length ?? 0) > 0 || (sent?.exclude?.length ?? 0) > 0)
        causes.push(`${list}: ${list} cannot be added to the DefaultEnhancedDynamicZone`);
    }
  } else if (!['asns', 'locations', 'ipServiceCategories'].some((key) => isNonEmpty(dynamic[key]))) {
    causes.push('An enhanced dynamic zone needs asns, locations or ipServiceCategories');
  }
  if (causes.length > 0) throw validationFailed('zone', causes);
}

function isNonEmpty(value: unknown): boolean {
  const lists = value as Partial<IncludeExclude<unknown>> | null | undefined;
  return (lists?.include?.length ?? 0) > 0 || (lists?.exclude?.length ?? 0) > 0;
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

function revokeToken(org: SandboxOrg, slice: SecuritySlice, token: ApiTokenRecord): void {
  slice.apiTokens.delete(token.id);
  org.changed();
  for (const stopAccepting of slice.revocationListeners) stopAccepting(token.secret);
  org.log.record('system.api_token.revoke', 'Revoke API token', [
    { id: token.id, type: 'Token', alternateId: token.name, displayName: token.name },
  ]);
}

/**
 * The token's metadata, never its secret. `tokenWindow` (P30D) is left out: the TimeDuration pattern of
 * Okta's published description matches no duration but "P", so every real value would break the contract.
 */
function apiTokenJson(org: SandboxOrg, token: ApiTokenRecord): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    userId: token.userId,
    clientName: token.clientName,
    created: token.created,
    lastUpdated: token.lastUpdated,
    expiresAt: token.expiresAt,
    tokenWindow: 'P30D',
    network: { connection: 'ANYWHERE' },
    _links: {
      self: link(org, `/api/v1/api-tokens/${token.id}`, ['GET', 'DELETE']),
      user: link(org, `/api/v1/users/${token.userId}`, ['GET']),
    },
  };
}

const listApiTokens: RouteHandler = (context) => {
  const { org } = context;
  const tokens = [...securityOf(org).apiTokens.values()].sort((a, b) => a.seq - b.seq);
  return ok(tokens.map((token) => apiTokenJson(org, token)));
};

const revokeApiToken: RouteHandler = (context) => {
  const { org } = context;
  const slice = securityOf(org);
  const tokenId = context.params.apiTokenId!;
  const token = slice.apiTokens.get(tokenId);
  if (!token) throw notFound(tokenId, 'ApiToken');
  revokeToken(org, slice, token);
  return noContent();
};

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

function identityProviderLinks(org: SandboxOrg, idp: IdentityProviderRecord): Record<string, unknown> {
  const path = `/api/v1/idps/${idp.id}`;
  const lifecycle =
    idp.status === 'ACTIVE'
      ? { deactivate: link(org, `${path}/lifecycle/deactivate`, ['POST']) }
      : { activate: link(org, `${path}/lifecycle/activate`, ['POST']) };
  if (idp.protocol.type === 'SAML2') {
    return {
      metadata: { ...link(org, `${path}/metadata.xml`, ['GET']), type: 'application/xml' },
      acs: { ...link(org, `/sso/saml2/${idp.id}`, ['POST']), type: 'application/xml' },
      users: link(org, `${path}/users`, ['GET']),
      ...lifecycle,
    };
  }
  const authorizeQuery =
    'client_id={clientId}&response_type={responseType}&response_mode={responseMode}' +
    '&scope={scopes}&redirect_uri={redirectUri}&state={state}&nonce={nonce}';
  return {
    authorize: {
      ...link(org, `/oauth2/v1/authorize?idp=${idp.id}&${authorizeQuery}`, ['GET']),
      templated: true,
    },
    clientRedirectUri: link(org, '/oauth2/v1/authorize/callback', ['POST']),
    users: link(org, `${path}/users`, ['GET']),
    ...lifecycle,
  };
}

function identityProviderJson(org: SandboxOrg, idp: IdentityProviderRecord): Record<string, unknown> {
  return {
    id: idp.id,
    type: idp.type,
    issuerMode: 'DYNAMIC',
    name: idp.name,
    status: idp.status,
    created: idp.created,
    lastUpdated: idp.lastUpdated,
    protocol: idp.protocol,
    policy: idp.policy,
    properties: null,
    _links: identityProviderLinks(org, idp),
  };
}

const IDP_PAGE = { defaultLimit: 20, maxLimit: 200 };

/** `q` matches the start of the name, ignoring case; `type` is exact (the server checks it is a known type). */
const listIdentityProviders: RouteHandler = (context) => {
  const { org, query } = context;
  const q = query.get('q')?.toLowerCase();
  const type = query.get('type');
  const idps = [...securityOf(org).idps.values()]
    .filter(
      (idp) => (q === undefined || idp.name.toLowerCase().startsWith(q)) && (!type || idp.type === type),
    )
    .sort((a, b) => a.seq - b.seq);
  const keyOf = (idp: IdentityProviderRecord): SortKey => [idp.seq];
  return listPage(context, idps, keyOf, IDP_PAGE, (idp) => identityProviderJson(org, idp));
};

// ---------------------------------------------------------------------------------------------------------
// Routes

export const securityRoutes: Record<string, RouteHandler> = {
  listNetworkZones,
  getNetworkZone,
  replaceNetworkZone,
  listApiTokens,
  revokeApiToken,
  listIdentityProviders,
};

// ---------------------------------------------------------------------------------------------------------
// Seed

/** Addresses from the ranges reserved for documentation (RFC 5737, RFC 3849): they reach no one. */
function seedZones(org: SandboxOrg): void {
  insertZone(org, {
    type: 'IP',
    name: 'LegacyIpZone',
    usage: 'POLICY',
    system: true,
    gateways: [
      { type: 'CIDR', value: '203.0.113.0/24' },
      { type: 'RANGE', value: '198.51.100.10-198.51.100.20' },
    ],
    proxies: [{ type: 'RANGE', value: '198.51.100.250' }],
  });
  insertZone(org, {
    type: 'IP',
    name: 'BlockedIpZone',
    usage: 'BLOCKLIST',
    system: true,
    gateways: [
      { type: 'RANGE', value: '192.0.2.66' },
      { type: 'CIDR', value: '2001:db8:bad::/48' },
    ],
  });
  // Okta ships this zone inactive: blocking every anonymizer is the admin's decision.
  insertZone(org, {
    type: 'DYNAMIC_V2',
    name: 'DefaultEnhancedDynamicZone',
    usage: 'BLOCKLIST',
    system: true,
    status: 'INACTIVE',
    dynamic: {
      locations: { include: [], exclude: [] },
      ipServiceCategories: { include: ['ALL_ANONYMIZERS'], exclude: [] },
      asns: { include: [], exclude: [] },
    },
  });
  insertZone(org, {
    type: 'IP',
    name: 'Branch Offices',
    usage: 'POLICY',
    system: false,
    gateways: [{ type: 'CIDR', value: '198.51.100.128/25' }],
  });
}

function seedIdentityProviders(org: SandboxOrg): void {
  const autoProvisioning = {
    action: 'AUTO',
    profileMaster: false,
    groups: { action: 'NONE' },
    conditions: { deprovisioned: { action: 'NONE' }, suspended: { action: 'NONE' } },
  };
  insertIdentityProvider(org, {
    type: 'GOOGLE',
    name: 'Google Workspace',
    protocol: {
      type: 'OIDC',
      endpoints: {
        authorization: { url: 'https://accounts.google.com/o/oauth2/auth', binding: 'HTTP-REDIRECT' },
        token: { url: 'https://www.googleapis.com/oauth2/v3/token', binding: 'HTTP-POST' },
      },
      scopes: ['openid', 'email', 'profile'],
      // Okta would also return the client secret; the sandbox never answers with a secret.
      credentials: { client: { client_id: '771230960148-sandbox.apps.googleusercontent.com' } },
    },
    policy: {
      provisioning: autoProvisioning,
      accountLink: { action: 'AUTO' },
      subject: { userNameTemplate: { template: 'idpuser.email' }, matchType: 'USERNAME' },
      maxClockSkew: 0,
    },
  });
  insertIdentityProvider(org, {
    type: 'SAML2',
    name: 'Partner SAML IdP',
    protocol: {
      type: 'SAML2',
      endpoints: {
        sso: {
          url: 'https://idp.partner.example/saml/sso',
          binding: 'HTTP-POST',
          destination: 'https://idp.partner.example/saml/sso',
        },
        acs: { binding: 'HTTP-POST', type: 'INSTANCE' },
      },
      algorithms: {
        request: { signature: { algorithm: 'SHA-256', scope: 'REQUEST' } },
        response: { signature: { algorithm: 'SHA-256', scope: 'ANY' } },
      },
      settings: { nameFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' },
      credentials: {
        trust: {
          issuer: 'https://idp.partner.example/saml/metadata',
          audience: 'https://www.okta.com/saml2/service-provider/sandbox',
          kid: 'a1b2c3d4-0000-4000-8000-5a4db0c5e7f1',
        },
      },
    },
    policy: {
      provisioning: { ...autoProvisioning, action: 'DISABLED' },
      accountLink: { action: 'AUTO' },
      subject: { userNameTemplate: { template: 'idpuser.subjectNameId' }, matchType: 'EMAIL' },
      maxClockSkew: 120_000,
    },
  });
}

/**
 * The system zones (LegacyIpZone with gateways and proxies, the BlockedIpZone blocklist, the inactive
 * DefaultEnhancedDynamicZone), one admin-made IP zone, and a Google and a SAML identity provider. API token
 * records come from index.ts, which knows the tokens (see registerApiToken).
 */
export function seedSecurity(org: SandboxOrg, _base: SeededOrg): void {
  seedZones(org);
  seedIdentityProviders(org);
}
