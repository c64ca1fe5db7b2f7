/** The operations on network zones, API tokens and identity providers that the sandbox serves. */
import { notFound, validationFailed } from '../../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../../expressions.js';
import type { SortKey } from '../../paging.js';
import { listPage, noContent, ok, type RouteContext, type RouteHandler } from '../../route.js';
import {
  type IdentityProviderRecord,
  requireZone,
  revokeToken,
  securityOf,
  type ZoneRecord,
  zoneTarget,
} from './model.js';
import { apiTokenJson, identityProviderJson, zoneJson } from './render.js';
import { checkZoneName, dynamicZoneChanges, ipZoneChanges, type ZoneBody } from './zone-changes.js';

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

export const securityRoutes: Record<string, RouteHandler> = {
  listNetworkZones,
  getNetworkZone,
  replaceNetworkZone,
  listApiTokens,
  revokeApiToken,
  listIdentityProviders,
};
