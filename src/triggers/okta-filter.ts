/**
 * What Okta can filter for a trigger's poll (the event types, its fixed conditions) as a System Log filter
 * expression; every other filter runs on our side, over the events Okta returns.
 */

import { quoteLiteral } from '../transport/paths.js';
import type { ResolvedSubscription } from './catalog.js';

/** list-log-events' filter field takes at most 4000 characters; past it, the types are filtered here. */
const MAX_FILTER_LENGTH = 4000;

export function eventFilterFor(subscription: ResolvedSubscription): { filter?: string } {
  const types = subscription.eventTypes.map((type) => `eventType eq ${quoteLiteral(type)}`).join(' or ');
  const fixed = Object.entries(subscription.trigger.where ?? {}).map(
    ([path, value]) => `${path} eq ${quoteLiteral(value)}`,
  );
  const parts = [types.length <= MAX_FILTER_LENGTH - 200 ? `(${types})` : '', ...fixed].filter(Boolean);
  const filter = parts.join(' and ');
  return filter && filter.length <= MAX_FILTER_LENGTH ? { filter } : {};
}
