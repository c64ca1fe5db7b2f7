import { covers, type RequestedAddress, zoneEntryRange } from '../../src/domain/ip-addresses.js';
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
  const { toAdd, alreadyBlocked } = sortOut(requested, zone);
  if (toAdd.length === 0) return { ...blocklistZoneFields(zone), added: [], alreadyBlocked, changed: false };

  const gateways = [...gatewaysOf(zone), ...toAdd.map((address) => address.entry)];
  const updated = await replaceGateways({ okta, change }, 'add to blocklist', zone, gateways);
  if (!updated) return PLANNED;
  return {
    ...blocklistZoneFields(toPlainJson<OktaZoneJson>(updated)),
    added: toAdd.map((address) => address.entry.value),
    alreadyBlocked,
    changed: true,
  };
});

/**
 * An address is already blocked when an entry of the zone (or a wider address given in the same run)
 * covers it; adding it again would only use up one of the zone's limited entries.
 */
function sortOut(requested: RequestedAddress[], zone: OktaZoneJson) {
  const zoneEntries = gatewaysOf(zone).flatMap((entry) => {
    const range = zoneEntryRange(entry);
    return range ? [{ value: entry.value, range }] : [];
  });
  const toAdd: RequestedAddress[] = [];
  const alreadyBlocked: Output['alreadyBlocked'] = [];
  for (const address of requested) {
    const inZone = zoneEntries.find((entry) => covers(entry.range, address.range));
    const wider = requested.find((other) => other !== address && covers(other.range, address.range));
    const blockedBy = inZone?.value ?? wider?.entry.value;
    if (blockedBy) alreadyBlocked.push({ address: address.text, blockedBy });
    else toAdd.push(address);
  }
  return { toAdd, alreadyBlocked };
}
