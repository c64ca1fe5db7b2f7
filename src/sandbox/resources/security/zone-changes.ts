/**
 * What a replaced network zone may hold, as Okta checks it: IP entries (well-formed CIDRs and ranges, within
 * the zone's and the org's limits), and the default enhanced dynamic zone's fixed parts.
 */
import { isIP } from 'node:net';
import { alreadyExists, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import {
  type IncludeExclude,
  securityOf,
  type ZoneAddress,
  type ZoneRecord,
  type ZoneType,
  type ZoneUsage,
} from './model.js';

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

export interface ZoneBody {
  type: ZoneType;
  name: string;
  usage?: ZoneUsage;
  gateways?: unknown;
  proxies?: unknown;
  [key: string]: unknown;
}

export function checkZoneName(org: SandboxOrg, zone: ZoneRecord, name: string): void {
  if (name.trim() === '') throw validationFailed('name', ['name: The field cannot be left blank']);
  if (zone.name === 'DefaultEnhancedDynamicZone' && zone.system && name !== zone.name) {
    throw validationFailed('name', ['name: The DefaultEnhancedDynamicZone cannot be renamed.']);
  }
  for (const other of securityOf(org).zones.values())
    if (other.id !== zone.id && other.name === name) throw alreadyExists('name');
}

// IP zones ------------------------------------------------------------------------------------------------

export function ipZoneChanges(
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

export function dynamicZoneChanges(zone: ZoneRecord, body: ZoneBody): Pick<ZoneRecord, 'dynamic'> {
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
