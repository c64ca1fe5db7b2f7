/**
 * IP addresses as network zones hold them. Okta stores a zone's gateways as `{ type: 'CIDR', value:
 * '198.51.100.0/24' }` or `{ type: 'RANGE', value: '192.0.2.7' | '192.0.2.1-192.0.2.9' }`; the same
 * addresses can be written several ways (a single address, a /32, a one-address range, IPv6 with or
 * without `::`), so entries are compared as numeric ranges, never as text.
 */
import { isIP } from 'node:net';

// A type alias, not an interface: outputs type zone entries as open objects, which only an alias satisfies.
export type ZoneAddress = {
  type: 'CIDR' | 'RANGE';
  value: string;
};

/** The first and last address an entry covers, as numbers, in one address family. */
export interface AddressRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

/** An address a person asked to block or unblock, checked and turned into the entry Okta would store. */
export interface RequestedAddress {
  /** What the person typed, trimmed. */
  text: string;
  range: AddressRange;
  entry: ZoneAddress;
}

const BITS = { 4: 32, 6: 128 } as const;

/**
 * A single IPv4/IPv6 address or a CIDR block, or why it is neither. A single address becomes a one-address
 * RANGE entry, the form Okta's Admin Console saves; a CIDR block must start at its network address, so a
 * typo like 10.0.0.5/24 is caught instead of silently blocking 10.0.0.0-10.0.0.255.
 */
export function parseRequestedAddress(raw: string): RequestedAddress | { problem: string } {
  const text = raw.trim();
  const [address = '', prefix, extra] = text.split('/');
  const family = familyOf(address);
  if (!family || extra !== undefined) {
    return { problem: `"${text}" is not an IP address or a CIDR block (like 192.0.2.7 or 198.51.100.0/24)` };
  }
  if (prefix === undefined) {
    const value = toNumber(address, family);
    return { text, range: { family, first: value, last: value }, entry: { type: 'RANGE', value: text } };
  }
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || bits > BITS[family]) {
    return { problem: `"${text}" has an invalid prefix length (0 to ${BITS[family]} for IPv${family})` };
  }
  const range = cidrRange(toNumber(address, family), bits, family);
  if (range.first !== toNumber(address, family)) {
    return {
      problem: `"${text}" is not the start of its block; did you mean ${formatAddress(range.first, family)}/${bits}?`,
    };
  }
  return { text, range, entry: { type: 'CIDR', value: text } };
}

/** The addresses a zone entry covers, or undefined for an entry in a form this module does not read. */
export function zoneEntryRange(entry: ZoneAddress): AddressRange | undefined {
  const value = String(entry.value ?? '').trim();
  if (entry.type === 'CIDR') {
    const [address = '', prefix, extra] = value.split('/');
    const family = familyOf(address);
    const bits = Number(prefix);
    if (!family || extra !== undefined || !/^\d{1,3}$/.test(prefix ?? '') || bits > BITS[family]) return;
    return cidrRange(toNumber(address, family), bits, family);
  }
  if (entry.type === 'RANGE') {
    const [start = '', end = start, extra] = value.split('-').map((part) => part.trim());
    const family = familyOf(start);
    if (!family || familyOf(end) !== family || extra !== undefined) return;
    const first = toNumber(start, family);
    const last = toNumber(end, family);
    return first <= last ? { family, first, last } : undefined;
  }
  return undefined;
}

/** True when `outer` covers every address of `inner`. */
export function covers(outer: AddressRange, inner: AddressRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** True when the two share at least one address. */
export function overlaps(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** True when both cover exactly the same addresses. */
export function sameRange(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.first === b.first && a.last === b.last;
}

function familyOf(address: string): 4 | 6 | undefined {
  // A zone index (fe80::1%eth0) names a local interface; it has no meaning in a network zone.
  if (address.includes('%')) return undefined;
  const family = isIP(address);
  return family === 4 || family === 6 ? family : undefined;
}

function cidrRange(address: bigint, bits: number, family: 4 | 6): AddressRange {
  const hostBits = BigInt(BITS[family] - bits);
  const first = (address >> hostBits) << hostBits;
  return { family, first, last: first + (1n << hostBits) - 1n };
}

function toNumber(address: string, family: 4 | 6): bigint {
  if (family === 4) return address.split('.').reduce((sum, octet) => (sum << 8n) + BigInt(octet), 0n);
  return ipv6Groups(address).reduce((sum, group) => (sum << 16n) + BigInt(group), 0n);
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 part converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** An address in its usual short form (IPv6 with the longest run of zero groups as `::`). */
export function formatAddress(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => Number((value >> shift) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > best.length && length > 1) best = { start, length };
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}
