import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { devicesOf } from '../../src/sandbox/resources/devices/model.js';
import { sandboxClient, useSandbox } from '../helpers/sandbox.js';
import { sandboxActions } from '../helpers/sandbox-actions.js';
import { deviceIdsOf, userIdOf } from '../helpers/sandbox-data.js';
import { mutation, mutationScenarios } from '../helpers/scenarios.js';

const JANE = 'jane.doe@example.com';

/** Jane's laptop, moved through Okta's API into the status a scenario starts from. */
async function janesDevice(sandbox: Sandbox, ...steps: Array<'deactivate' | 'suspend'>): Promise<string> {
  const deviceId = deviceIdsOf(sandbox, JANE)[0]!;
  for (const step of steps) {
    const answer = await sandboxClient(sandbox).post(`/api/v1/devices/${deviceId}/lifecycle/${step}`);
    expect(answer.status).toBe(204);
  }
  return deviceId;
}

const statusOf = (sandbox: Sandbox, deviceId: string) => devicesOf(sandbox.org).byId.get(deviceId)?.status;

mutationScenarios([
  mutation({
    key: 'activate-device',
    input: async (sandbox) => ({ deviceId: await janesDevice(sandbox, 'deactivate') }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ previousStatus: 'DEACTIVATED', status: 'ACTIVE' });
      expect(statusOf(sandbox, output.id)).toBe('ACTIVE');
    },
  }),
  mutation({
    key: 'suspend-device',
    input: async (sandbox) => ({ deviceId: await janesDevice(sandbox) }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ previousStatus: 'ACTIVE', status: 'SUSPENDED' });
      expect(statusOf(sandbox, output.id)).toBe('SUSPENDED');
    },
  }),
  mutation({
    key: 'unsuspend-device',
    input: async (sandbox) => ({ deviceId: await janesDevice(sandbox, 'suspend') }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ previousStatus: 'SUSPENDED', status: 'ACTIVE' });
      expect(statusOf(sandbox, output.id)).toBe('ACTIVE');
    },
  }),
  mutation({
    key: 'delete-device',
    title: 'an active device, deactivated first',
    input: async (sandbox) => ({
      deviceId: await janesDevice(sandbox),
      deactivateFirst: true,
      missingOk: true,
    }),
    expectOutput: (output, sandbox) => {
      expect(output).toMatchObject({ previousStatus: 'ACTIVE', deactivatedFirst: true, deleted: true });
      expect(statusOf(sandbox, output.id)).toBeUndefined();
    },
  }),
  mutation({
    key: 'delete-device',
    title: 'a deactivated device',
    input: async (sandbox) => ({ deviceId: await janesDevice(sandbox, 'deactivate'), missingOk: true }),
    expectOutput: (output) =>
      expect(output).toMatchObject({ previousStatus: 'DEACTIVATED', deactivatedFirst: false }),
  }),
]);

describe('device actions end to end', () => {
  const ctx = useSandbox();
  const { run, failure } = sandboxActions(ctx);

  it('get-device returns every profile field; list-device-users returns the whole Okta user', async () => {
    const deviceId = deviceIdsOf(ctx.sandbox, JANE)[0]!;
    expect(await run('get-device', { deviceId })).toMatchObject({
      id: deviceId,
      status: 'ACTIVE',
      displayName: "Jane's MacBook Pro",
      platform: 'MACOS',
      serialNumber: 'SN-JANE-34042',
      device: { profile: { manufacturer: 'APPLE', managed: true } },
    });
    expect(await run('list-device-users', { deviceId })).toMatchObject({
      deviceId,
      count: 1,
      deviceUsers: [
        {
          managementStatus: 'MANAGED',
          user: { id: userIdOf(ctx.sandbox, JANE), profile: { login: JANE, department: 'Engineering' } },
        },
      ],
    });
    expect(await failure('get-device', { deviceId: 'guo00000000000000000' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses what the status forbids, naming the status and the action that helps; nothing changes', async () => {
    const deviceId = deviceIdsOf(ctx.sandbox, JANE)[0]!;
    const version = ctx.sandbox.org.version;
    const deleteActive = await failure('delete-device', { deviceId, deactivateFirst: false });
    expect(deleteActive).toMatchObject({ code: 'CONFLICT' });
    expect(deleteActive.message).toContain('is ACTIVE');
    expect(deleteActive.message).toContain('deactivateFirst');
    expect(ctx.sandbox.org.version).toBe(version);

    await run('suspend-device', { deviceId });
    const activateSuspended = await failure('activate-device', { deviceId });
    expect(activateSuspended.message).toContain('unsuspend-device');
    await run('deactivate-device', { deviceId });
    expect(await run('list-device-users', { deviceId })).toMatchObject({ count: 0, deviceUsers: [] });
    const suspendDeactivated = await failure('suspend-device', { deviceId });
    expect(suspendDeactivated).toMatchObject({ code: 'CONFLICT' });
    expect(suspendDeactivated.message).toContain('activate-device first');
    expect(await failure('unsuspend-device', { deviceId })).toMatchObject({ code: 'CONFLICT' });
  });

  it('delete-device without missingOk fails with NOT_FOUND once the device is gone', async () => {
    const deviceId = deviceIdsOf(ctx.sandbox, JANE)[0]!;
    await run('delete-device', { deviceId, deactivateFirst: true });
    expect(await failure('delete-device', { deviceId, deactivateFirst: true })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
