import {
  type AddressRange,
  overlaps,
  type RequestedAddress,
  sameRange,
  type ZoneAddress,
  zoneEntryRange,
} from '../../src/domain/ip-addresses.js';
import {
  blocklistZone,
  blocklistZoneFields,
  gatewaysOf,
  type OktaZoneJson,
  replaceGateways,
  requestedAddresses,
} from '../../src/domain/network-zones.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { toPlainJson } from '../../src/handler/okta-context.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const requested = requestedAddresses(input.addresses);
  const zone = await blocklistZone(okta, input.zoneId);
  const entries = gatewaysOf(zone).map((entry) => ({ entry, range: zoneEntryRange(entry) }));
  // Only entries that are exactly a given address go: a wider range stays, as do all other entries.
  const isGiven = (range: AddressRange | undefined) =>
    range !== undefined && requested.some((address) => sameRange(address.range, range));
  const removed = entries.filter(({ range }) => isGiven(range));
  const kept = entries.filter(({ range }) => !isGiven(range));
  const report = { removed: removed.map(({ entry }) => entry.value), ...reportOn(requested, removed, kept) };
  if (removed.length === 0) return { ...blocklistZoneFields(zone), ...report, changed: false };

  const gateways = kept.map(({ entry }) => entry);
  const updated = await replaceGateways({ okta, change }, 'remove from blocklist', zone, gateways);
  if (!updated) return PLANNED;
  return { ...blocklistZoneFields(toPlainJson<OktaZoneJson>(updated)), ...report, changed: true };
});

interface ZoneEntry {
  entry: ZoneAddress;
  range: AddressRange | undefined;
}

/** Which given addresses stay (partly) blocked by a kept entry, and which the zone never had. */
function reportOn(requested: RequestedAddress[], removed: ZoneEntry[], kept: ZoneEntry[]) {
  const stillBlocked: Output['stillBlocked'] = [];
  const notBlocked: string[] = [];
  for (const address of requested) {
    const by = kept.find(({ range }) => range && overlaps(range, address.range));
    const wasEntry = removed.some(({ range }) => range && sameRange(range, address.range));
    if (by) stillBlocked.push({ address: address.text, blockedBy: by.entry.value });
    else if (!wasEntry) notBlocked.push(address.text);
  }
  return { stillBlocked, notBlocked };
}
