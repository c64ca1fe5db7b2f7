/** Every operation the sandbox serves, by Okta operationId (the list is src/sandbox/operations.json). */
import { appsRoutes } from './resources/apps/routes.js';
import { credentialsRoutes } from './resources/credentials/routes.js';
import { deviceRoutes } from './resources/devices/routes.js';
import { eventHooksRoutes } from './resources/event-hooks/routes.js';
import { groupRulesRoutes } from './resources/group-rules/routes.js';
import { groupRoutes } from './resources/groups/routes.js';
import { logRoutes } from './resources/logs.js';
import { realmsRoutes } from './resources/realms/routes.js';
import { rolesRoutes } from './resources/roles/routes.js';
import { schemaRoutes } from './resources/schemas/routes.js';
import { securityRoutes } from './resources/security/routes.js';
import { userDevicesRoutes } from './resources/user-devices.js';
import { userTypesRoutes } from './resources/user-types/routes.js';
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
  ...schemaRoutes,
  ...credentialsRoutes,
  ...securityRoutes,
  ...eventHooksRoutes,
  ...userDevicesRoutes,
};
