/**
 * The IP blocklist zones the block and unblock actions edit. Okta has no "add an address to a zone" call:
 * PUT /api/v1/zones/{zoneId} replaces the whole zone, so the zone is read first and sent back with every
 * entry it had, plus or minus only the addresses asked for.
 */
import type { IPNetworkZone, NetworkZone } from '@okta/okta-sdk-nodejs';
import { ActionError, invalidInput } from '../errors/action-error.js';
import type { HandlerContext } from '../handler/define-action.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath, quoteLiteral } from '../transport/paths.js';
import { parseRequestedAddress, type RequestedAddress, sameRange, type ZoneAddress } from './ip-addresses.js';

/** A network zone as Okta sends it; only what the actions read is typed. */
export interface OktaZoneJson {
  id: string;
  type: string;
  name: string;
  status?: string;
  usage?: string;
  system?: boolean;
  gateways?: ZoneAddress[] | null;
  proxies?: ZoneAddress[] | null;
  [field: string]: unknown;
}

/** Every page of the org's blocklist zones is read; an org has few zones. */
const ALL_ZONES = 10_000;

export function zonePath(zoneId: string): string {
  return oktaPath('/api/v1/zones/{zoneId}', { zoneId });
}

/**
 * The addresses asked for, checked and without repeats. Every invalid entry is named at once, before any
 * request, so nothing is sent for a list with a typo.
 */
export function requestedAddresses(addresses: readonly string[]): RequestedAddress[] {
  const parsed = addresses.map(parseRequestedAddress);
  const problems = parsed.flatMap((result) => ('problem' in result ? [result.problem] : []));
  if (problems.length > 0)
    throw invalidInput('addresses', `has entries that are not valid: ${problems.join('; ')}`);
  const unique: RequestedAddress[] = [];
  for (const address of parsed as RequestedAddress[]) {
    if (!unique.some((seen) => sameRange(seen.range, address.range))) unique.push(address);
  }
  return unique;
}

/**
 * The zone to edit: the one given, which must be an IP zone used as a blocklist; or, when none is given,
 * the org's ACTIVE IP blocklist zone, preferring Okta's own BlockedIpZone (a system zone) over ones admins
 * made, then Okta's list order. An inactive zone blocks nothing, so it is never picked silently.
 */
export async function blocklistZone(okta: OktaContext, zoneId: string | undefined): Promise<OktaZoneJson> {
  if (zoneId) {
    const zone = await okta.getJson<OktaZoneJson>(zonePath(zoneId));
    requireIpBlocklist(zone);
    return zone;
  }
  const page = await okta.paginate<OktaZoneJson>({
    path: '/api/v1/zones',
    query: { filter: `usage eq ${quoteLiteral('BLOCKLIST')}` },
    maxItems: ALL_ZONES,
  });
  const ipBlocklists = page.items.filter((zone) => zone.type === 'IP');
  const active = ipBlocklists.filter((zone) => zone.status === 'ACTIVE');
  const chosen = active.find((zone) => zone.system) ?? active[0];
  if (chosen) return chosen;
  if (ipBlocklists.length > 0) {
    const names = ipBlocklists.map((zone) => `${zone.name} (${zone.id})`).join(', ');
    throw new ActionError(
      'CONFLICT',
      `The org's IP blocklist zones are all INACTIVE (${names}), so an address added there would not be blocked. Activate one in the Admin Console (Security > Networks), or give its zoneId to edit it anyway. Nothing was changed.`,
      { retryable: false },
    );
  }
  throw new ActionError(
    'NOT_FOUND',
    'The org has no IP blocklist zone. Create one in the Admin Console (Security > Networks > Add zone > IP Zone, with "Block access from IPs matching conditions listed in this zone"), or give a zoneId. Nothing was changed.',
    { retryable: false },
  );
}

function requireIpBlocklist(zone: OktaZoneJson): void {
  if (zone.type === 'IP' && zone.usage === 'BLOCKLIST') return;
  const what =
    zone.type !== 'IP'
      ? `a ${zone.type} zone (it matches locations or IP services, not listed addresses)`
      : `an IP zone used for ${zone.usage ?? 'POLICY'}, not a blocklist`;
  throw new ActionError(
    'CONFLICT',
    `Network zone ${zone.name} (${zone.id}) is ${what}; give the id of an IP blocklist zone (List Network Zones with usage BLOCKLIST), or leave zoneId empty to use the org's blocklist zone. Nothing was changed.`,
    { retryable: false },
  );
}

/**
 * Sends the zone back with new gateways. Everything else the zone had is sent as it was: PUT replaces the
 * zone, and a name or usage left out would be lost. Proxies go back only when there are some (a blocklist
 * zone normally has none, and Okta keeps null for a list never set).
 */
export function replaceGateways(
  { okta, change }: Pick<HandlerContext<unknown>, 'okta' | 'change'>,
  step: string,
  zone: OktaZoneJson,
  gateways: ZoneAddress[],
): Promise<NetworkZone | undefined> {
  const body = {
    type: 'IP',
    name: zone.name,
    usage: zone.usage,
    ...(zone.status ? { status: zone.status } : {}),
    gateways,
    ...(zone.proxies?.length ? { proxies: zone.proxies } : {}),
  } as IPNetworkZone;
  return change(step, { method: 'PUT', path: zonePath(zone.id) }, () =>
    okta.sdk.networkZoneApi.replaceNetworkZone({ zoneId: zone.id, zone: body }),
  );
}

/** The zone's gateways as Okta sent them ([] for Okta's null). */
export function gatewaysOf(zone: OktaZoneJson): ZoneAddress[] {
  return zone.gateways ?? [];
}

/** The fields the block and unblock actions report about the zone they edited. */
export function blocklistZoneFields(zone: OktaZoneJson) {
  return {
    zoneId: zone.id,
    zoneName: zone.name,
    zoneStatus: zone.status ?? null,
    entryCount: gatewaysOf(zone).length,
    zone,
  };
}
