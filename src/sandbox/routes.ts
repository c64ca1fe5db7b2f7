/** Every operation the sandbox serves, by Okta operationId (the list is src/sandbox/operations.json). */
import { appsRoutes } from './resources/apps/routes.js';
import { credentialsRoutes } from './resources/credentials.js';
import { deviceRoutes } from './resources/devices.js';
import { eventHooksRoutes } from './resources/event-hooks.js';
import { groupRulesRoutes } from './resources/group-rules.js';
import { groupRoutes } from './resources/groups/routes.js';
import { logRoutes } from './resources/logs.js';
import { realmsRoutes } from './resources/realms.js';
import { rolesRoutes } from './resources/roles.js';
import { securityRoutes } from './resources/security.js';
import { userDevicesRoutes } from './resources/user-devices.js';
import { userTypesRoutes } from './resources/user-types.js';
import { userRoutes } from './resources/users/routes.js';
import type { RouteHandler } from './route.js';

export const routes: Readonly<Record<string, RouteHandler>> = {
  ...userRoutes,
  ...groupRoutes,
  ...deviceRoutes,
  ...logRoutes,
  ...appsRoutes,
  ...groupRulesRoutes,
  ...rolesRoutes,
  ...realmsRoutes,
  ...userTypesRoutes,
  ...credentialsRoutes,
  ...securityRoutes,
  ...eventHooksRoutes,
  ...userDevicesRoutes,
};
