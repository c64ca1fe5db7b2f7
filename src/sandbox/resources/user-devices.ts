/** GET /api/v1/users/{userId}/devices: the devices a user is linked to (an Identity Engine feature). */
import type { SandboxOrg } from '../org.js';
import { ok, type RouteHandler } from '../route.js';
import { devicesOf } from './devices/model.js';
import { deviceJson } from './devices/render.js';
import { requireUser } from './users/model.js';

const listUserDevices: RouteHandler = (context) => {
  const { org } = context;
  const user = requireUser(org, context.params.userId!, context.principal.userId);
  return ok(userDeviceLinks(org, user.id));
};

function userDeviceLinks(org: SandboxOrg, userId: string) {
  const devices = devicesOf(org);
  return [...devices.users.entries()].flatMap(([deviceId, links]) =>
    links
      .filter((link) => link.userId === userId)
      .map((link) => {
        const device = devices.byId.get(deviceId)!;
        return {
          created: link.created,
          deviceUserId: `${deviceId}-${userId}`,
          device: deviceJson(org, device),
        };
      }),
  );
}

export const userDevicesRoutes: Record<string, RouteHandler> = { listUserDevices };
