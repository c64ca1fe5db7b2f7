/** Event hooks as Okta's JSON writes them (never the authentication secret). */
import type { SandboxOrg } from '../../org.js';
import { link } from '../../route.js';
import { CHANNEL_VERSION, type EventHookRecord } from './model.js';

export function eventHookJson(org: SandboxOrg, hook: EventHookRecord): Record<string, unknown> {
  const path = `/api/v1/eventHooks/${hook.id}`;
  return {
    id: hook.id,
    status: hook.status,
    verificationStatus: hook.verificationStatus,
    name: hook.name,
    description: hook.description,
    created: hook.created,
    createdBy: hook.createdBy,
    lastUpdated: hook.lastUpdated,
    events: {
      type: 'EVENT_TYPE',
      items: [...hook.eventTypes],
      filter: hook.filter
        ? { type: 'EXPRESSION_LANGUAGE', eventFilterMap: hook.filter.eventFilterMap }
        : null,
    },
    channel: {
      type: 'HTTP',
      version: CHANNEL_VERSION,
      config: {
        uri: hook.uri,
        headers: hook.headers.map((header) => ({ ...header })),
        method: 'POST',
        ...(hook.authScheme ? { authScheme: { type: hook.authScheme.type, key: hook.authScheme.key } } : {}),
      },
    },
    _links: {
      self: link(org, path),
      verify: link(org, `${path}/lifecycle/verify`, ['POST']),
      ...(hook.status === 'ACTIVE'
        ? { deactivate: link(org, `${path}/lifecycle/deactivate`, ['POST']) }
        : { activate: link(org, `${path}/lifecycle/activate`, ['POST']) }),
    },
  };
}
