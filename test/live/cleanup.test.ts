/**
 * The live suite's clean-up, against the sandbox with objects planted as a real org might hold them: an
 * aborted run's leftovers, a run going on elsewhere, look-alikes the suite did not make. It must delete
 * its own and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { CreatedObjects, LEFTOVER_AGE_MS, sweepLeftovers } from './cleanup.js';
import { markedLogin, newMarker } from './marker.js';
import { type SuiteTarget, sandboxTarget } from './target.js';

const ctx = useSandbox();
const MINUTE = 60_000;

async function userIn(target: SuiteTarget, login: string): Promise<string> {
  const user = await target.run('create-user', {
    profile: { login, email: login, firstName: 'Left', lastName: 'Over' },
  });
  return user.id;
}

const groupIn = async (target: SuiteTarget, name: string) => (await target.run('create-group', { name })).id;

async function exists(target: SuiteTarget, kind: 'user' | 'group', id: string): Promise<boolean> {
  const result =
    kind === 'user'
      ? await target.execute('get-user', { user: id })
      : await target.execute('get-group', { groupId: id });
  if (!result.ok && result.error.code !== 'NOT_FOUND') throw new Error(result.error.message);
  return result.ok;
}

describe('sweepLeftovers', () => {
  it('deletes the marked users and groups of runs older than an hour, and nothing else', async () => {
    const target = sandboxTarget(ctx.sandbox);
    const now = new Date();
    const aborted = newMarker(new Date(now.getTime() - LEFTOVER_AGE_MS - MINUTE));
    const running = newMarker(new Date(now.getTime() - 10 * MINUTE));

    const abortedUser = await userIn(target, markedLogin(aborted));
    const abortedDeactivated = await userIn(target, `${aborted.text}-second@example.com`);
    await target.run('deactivate-user', { user: abortedDeactivated });
    const abortedGroup = await groupIn(target, aborted.text);
    const abortedRenamedGroup = await groupIn(target, `${aborted.text}-renamed`);

    const kept = {
      runningUser: await userIn(target, markedLogin(running)),
      runningGroup: await groupIn(target, running.text),
      lookAlikeUser: await userIn(target, 'okta-actions-live-notes@example.com'),
      lookAlikeGroup: await groupIn(target, 'okta-actions-live-notes'),
      // The marker at another domain is not a login the suite makes.
      otherDomainUser: await userIn(target, `${aborted.text}@acme.example.org`),
    };

    const report = await sweepLeftovers(target, now);
    expect(report.problems).toEqual([]);
    expect(report.deletedUsers.sort()).toEqual(
      [markedLogin(aborted), `${aborted.text}-second@example.com`].sort(),
    );
    expect(report.deletedGroups.sort()).toEqual([aborted.text, `${aborted.text}-renamed`].sort());
    for (const id of [abortedUser, abortedDeactivated]) expect(await exists(target, 'user', id)).toBe(false);
    for (const id of [abortedGroup, abortedRenamedGroup])
      expect(await exists(target, 'group', id)).toBe(false);
    for (const id of [kept.runningUser, kept.lookAlikeUser, kept.otherDomainUser])
      expect(await exists(target, 'user', id)).toBe(true);
    for (const id of [kept.runningGroup, kept.lookAlikeGroup])
      expect(await exists(target, 'group', id)).toBe(true);
  });

  it('finds nothing to do in an org without marked objects', async () => {
    const report = await sweepLeftovers(sandboxTarget(ctx.sandbox));
    expect(report).toEqual({ deletedUsers: [], deletedGroups: [], problems: [] });
  });
});

describe('CreatedObjects.deleteAll', () => {
  it("deletes this run's objects, registered or found by the marker; leaves the rest and says why", async () => {
    const target = sandboxTarget(ctx.sandbox);
    const marker = newMarker();
    const created = new CreatedObjects(target, marker);

    const user = await userIn(target, markedLogin(marker));
    created.addUser(user);
    const group = await groupIn(target, marker.text);
    created.addGroup(group);
    // Created, but its answer never reached the suite: found by the marker.
    const unregistered = await userIn(target, `${marker.text}-lost@example.com`);
    // Registered, then deleted by the cycle itself: nothing left to do.
    const alreadyGone = await userIn(target, `${marker.text}-gone@example.com`);
    created.addUser(alreadyGone);
    await target.run('delete-user', { user: alreadyGone });
    // Registered, but someone changed its login since: no longer the suite's to delete.
    const renamed = await userIn(target, `${marker.text}-renamed@example.com`);
    created.addUser(renamed);
    await target.run('update-user', { user: renamed, profile: { login: 'kept.by.someone@example.com' } });
    // Another run's objects, at the same moment.
    const otherRun = newMarker();
    const otherUser = await userIn(target, markedLogin(otherRun));
    const otherGroup = await groupIn(target, otherRun.text);

    const report = await created.deleteAll();
    expect(report.deletedUsers.sort()).toEqual(
      [markedLogin(marker), `${marker.text}-lost@example.com`].sort(),
    );
    expect(report.deletedGroups).toEqual([marker.text]);
    expect(report.problems).toEqual([`user ${renamed} no longer carries the suite's marker; left alone`]);
    for (const id of [user, unregistered]) expect(await exists(target, 'user', id)).toBe(false);
    expect(await exists(target, 'group', group)).toBe(false);
    for (const id of [renamed, otherUser]) expect(await exists(target, 'user', id)).toBe(true);
    expect(await exists(target, 'group', otherGroup)).toBe(true);
  });
});
