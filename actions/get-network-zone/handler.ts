import { type OktaZoneJson, zonePath } from '../../src/domain/network-zones.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// A raw read: the SDK's zone models drop fields of zone kinds they do not know.
export default defineAction<Input, Output>(async ({ okta, input }) => {
  const zone = await okta.getJson<OktaZoneJson>(zonePath(input.zoneId));
  return {
    id: zone.id,
    name: zone.name,
    type: zone.type,
    status: zone.status ?? null,
    usage: zone.usage ?? null,
    system: zone.system ?? false,
    zone,
  };
});
