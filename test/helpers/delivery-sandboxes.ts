/**
 * Sandboxes and loopback receivers for the event hook delivery tests, closed after each test; each
 * sandbox must also have kept to Okta's API description (its answers and the requests it got).
 */
import type { Server } from 'node:http';
import { afterEach, expect } from 'vitest';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { sandboxClient } from './sandbox.js';

export function deliverySandboxes() {
  const sandboxes: Sandbox[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    for (const sandbox of sandboxes.splice(0)) {
      await sandbox.close();
      expect(sandbox.contractViolations, "sandbox answers that break Okta's description").toEqual([]);
      expect(sandbox.requestViolations).toEqual([]);
    }
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  return {
    async sandboxWith(options: SandboxOptions = {}) {
      const sandbox = await startSandbox(options);
      sandboxes.push(sandbox);
      return { sandbox, api: sandboxClient(sandbox), deliveries: sandbox.eventHookDeliveries };
    },
    /** Closes the receiver after the test. */
    keep(server: Server) {
      servers.push(server);
    },
  };
}
