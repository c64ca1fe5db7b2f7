/** The org's seeded event hooks. */
import { randomBytes } from 'node:crypto';
import type { SandboxOrg } from '../../org.js';
import type { SeededOrg } from '../../seeded-org.js';
import { CHANNEL_VERSION, insertEventHook } from './model.js';

/** One verified hook that forwards user lifecycle events to a (fictional) SIEM. */
export function seedEventHooks(org: SandboxOrg, base: SeededOrg): void {
  insertEventHook(
    org,
    {
      name: 'SIEM user lifecycle feed',
      description: 'Forwards user lifecycle events to the security team',
      events: {
        type: 'EVENT_TYPE',
        items: ['user.lifecycle.create', 'user.lifecycle.deactivate', 'user.lifecycle.suspend'],
      },
      channel: {
        type: 'HTTP',
        version: CHANNEL_VERSION,
        config: {
          uri: 'https://siem.example.com/okta/events',
          headers: [{ key: 'X-Source', value: 'okta-sandbox' }],
          authScheme: {
            type: 'HEADER',
            key: 'Authorization',
            value: `Bearer ${randomBytes(18).toString('hex')}`,
          },
        },
      },
    },
    base.admin.id,
    { verified: true },
  );
}
