/** Placeholder: routes of this resource family are added here. */
import type { SandboxOrg } from '../org.js';
import type { RouteHandler } from '../route.js';
import type { SeededOrg } from '../seed.js';

export const credentialsRoutes: Record<string, RouteHandler> = {};

/** Adds this family's part of the sandbox's fixed base data (called by seed.ts). */
export function seedCredentials(_org: SandboxOrg, _base: SeededOrg): void {}
