/** Looking up the sandbox's seeded objects in tests, by the names people know them by. */
import type { Sandbox } from '../../src/sandbox/index.js';
import { appsOf } from '../../src/sandbox/resources/apps/model.js';
import { devicesOf } from '../../src/sandbox/resources/devices/model.js';
import { groupsOf } from '../../src/sandbox/resources/groups/model.js';
import { findUser } from '../../src/sandbox/resources/users/model.js';

export function userIdOf(sandbox: Sandbox, login: string): string {
  const user = findUser(sandbox.org, login);
  if (!user) throw new Error(`no sandbox user ${login}`);
  return user.id;
}

export function groupIdOf(sandbox: Sandbox, name: string): string {
  const group = [...groupsOf(sandbox.org).byId.values()].find((g) => g.profile.name === name);
  if (!group) throw new Error(`no sandbox group ${name}`);
  return group.id;
}

export function appIdOf(sandbox: Sandbox, label: string): string {
  const app = [...appsOf(sandbox.org).byId.values()].find((a) => a.label === label);
  if (!app) throw new Error(`no sandbox app ${label}`);
  return app.id;
}

/** The devices of a user, by login. */
export function deviceIdsOf(sandbox: Sandbox, login: string): string[] {
  const userId = userIdOf(sandbox, login);
  const devices = devicesOf(sandbox.org);
  return [...devices.byId.keys()].filter((id) =>
    devices.users.get(id)?.some((link) => link.userId === userId),
  );
}
