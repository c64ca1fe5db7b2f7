/**
 * The live suite's clean-up: it deletes what it created, and the leftovers of earlier runs that were cut
 * short, and nothing else. Each object is read again right before it is deleted and deleted only if its
 * login or name still carries the suite's marker (see marker.ts); ids alone are never trusted.
 */
import { carries, MARKER_EMAIL_DOMAIN, MARKER_PREFIX, type Marker, markerOf } from './marker.js';
import type { SuiteTarget } from './target.js';

/**
 * How old a marked object must be before the sweep deletes it. A run takes minutes; an hour leaves ample
 * room for a slow one, so two maintainers running the suite against the same org at once never delete each
 * other's objects mid-run.
 */
export const LEFTOVER_AGE_MS = 60 * 60 * 1000;

/** The most marked users and groups one listing reads: gentle, and plenty for leftovers. */
const MARKED_MAX_ITEMS = 50;

/** What a clean-up did, and what it could not do (each a sentence for the test output). */
export interface CleanupReport {
  deletedUsers: string[];
  deletedGroups: string[];
  problems: string[];
}

/** Which names (user logins, group names) a clean-up may delete. */
interface Deletable {
  user: (login: string | undefined) => boolean;
  group: (name: string | undefined) => boolean;
}

/**
 * The suite's users have the marker at the reserved domain as their login (`okta-actions-live-...@example.com`);
 * its groups have a marked name.
 */
function deletableWhen(isMarked: (name: string) => boolean): Deletable {
  return {
    user: (login) => login?.endsWith(`@${MARKER_EMAIL_DOMAIN}`) === true && isMarked(login),
    group: (name) => name !== undefined && isMarked(name),
  };
}

/** The users and groups this run created, by id, so that afterAll can delete them whatever failed. */
export class CreatedObjects {
  private readonly userIds: string[] = [];
  private readonly groupIds: string[] = [];

  constructor(
    private readonly target: SuiteTarget,
    private readonly marker: Marker,
  ) {}

  addUser(id: string): void {
    this.userIds.push(id);
  }

  addGroup(id: string): void {
    this.groupIds.push(id);
  }

  /**
   * Deletes every object of this run that still exists and still carries this run's marker: those it
   * registered, and those a search finds by the marker (a create whose answer never came, a timeout, may
   * still have created its object).
   */
  async deleteAll(): Promise<CleanupReport> {
    const ours = deletableWhen((name) => carries(name, this.marker));
    const report = emptyReport();
    const found = await listMarked(this.target, this.marker.text, ours, report);
    for (const id of new Set([...this.userIds, ...found.userIds]))
      await deleteUserIf(this.target, id, ours, report);
    for (const id of new Set([...this.groupIds, ...found.groupIds]))
      await deleteGroupIf(this.target, id, ours, report);
    return report;
  }
}

/**
 * Deletes the users and groups that carry the suite's marker from a run started more than LEFTOVER_AGE_MS
 * before `now`: what an aborted run (a killed process, a crash before afterAll) left behind.
 */
export async function sweepLeftovers(target: SuiteTarget, now: Date = new Date()): Promise<CleanupReport> {
  const leftover = deletableWhen((name) => {
    const marker = markerOf(name);
    return marker !== undefined && now.getTime() - marker.startedAt.getTime() > LEFTOVER_AGE_MS;
  });
  const report = emptyReport();
  const found = await listMarked(target, MARKER_PREFIX, leftover, report);
  for (const id of found.userIds) await deleteUserIf(target, id, leftover, report);
  for (const id of found.groupIds) await deleteGroupIf(target, id, leftover, report);
  return report;
}

const emptyReport = (): CleanupReport => ({ deletedUsers: [], deletedGroups: [], problems: [] });

/** The ids of the users and Okta groups whose login or name starts with `prefix` and that `deletable` accepts. */
async function listMarked(
  target: SuiteTarget,
  prefix: string,
  deletable: Deletable,
  report: CleanupReport,
): Promise<{ userIds: string[]; groupIds: string[] }> {
  // A search also finds DEPROVISIONED users (a run may have stopped between deactivating and deleting).
  // The prefix is the suite's own text (letters, digits and dashes), safe inside the quotes.
  const users = await target.execute('list-users', {
    search: `profile.login sw "${prefix}"`,
    includeDeprovisioned: true,
    maxItems: MARKED_MAX_ITEMS,
  });
  if (!users.ok)
    report.problems.push(`could not list marked users: ${users.error.code} ${users.error.message}`);
  const groups = await target.execute('list-groups', {
    name: prefix,
    type: 'OKTA_GROUP',
    maxItems: MARKED_MAX_ITEMS,
  });
  if (!groups.ok)
    report.problems.push(`could not list marked groups: ${groups.error.code} ${groups.error.message}`);
  return {
    userIds: users.ok
      ? users.output.users.filter((u) => deletable.user(u.profile.login)).map((u) => u.id)
      : [],
    groupIds: groups.ok
      ? groups.output.groups.filter((g) => deletable.group(g.profile?.name)).map((g) => g.id)
      : [],
  };
}

async function deleteUserIf(
  target: SuiteTarget,
  id: string,
  deletable: Deletable,
  report: CleanupReport,
): Promise<void> {
  const current = await target.execute('get-user', { user: id });
  if (!current.ok) {
    if (current.error.code !== 'NOT_FOUND')
      report.problems.push(`user ${id}: could not read it (${current.error.code} ${current.error.message})`);
    return;
  }
  if (!deletable.user(current.output.login)) {
    report.problems.push(`user ${id} no longer carries the suite's marker; left alone`);
    return;
  }
  const deleted = await target.execute('delete-user', { user: id, missingOk: true });
  if (deleted.ok) report.deletedUsers.push(current.output.login);
  else report.problems.push(`user ${current.output.login}: ${deleted.error.code} ${deleted.error.message}`);
}

async function deleteGroupIf(
  target: SuiteTarget,
  id: string,
  deletable: Deletable,
  report: CleanupReport,
): Promise<void> {
  const current = await target.execute('get-group', { groupId: id });
  if (!current.ok) {
    if (current.error.code !== 'NOT_FOUND')
      report.problems.push(`group ${id}: could not read it (${current.error.code} ${current.error.message})`);
    return;
  }
  // Only Okta groups are the suite's: an app group that happened to match would belong to its source.
  if (current.output.type !== 'OKTA_GROUP' || !deletable.group(current.output.name)) {
    report.problems.push(`group ${id} no longer carries the suite's marker; left alone`);
    return;
  }
  const deleted = await target.execute('delete-group', { groupId: id, missingOk: true });
  if (deleted.ok) report.deletedGroups.push(current.output.name);
  else report.problems.push(`group ${current.output.name}: ${deleted.error.code} ${deleted.error.message}`);
}
